using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Tests.Supervisor.Processes;

/// <summary>Reading a loading process tree from a fake <c>/proc</c> (the files as the kernel writes them).</summary>
public sealed class LoadProgressProbeTests : IDisposable
{
    private const string Model = "/models/big model.gguf";
    private const string Projector = "/models/mmproj.gguf";
    private readonly string _proc = Directory.CreateTempSubdirectory("llamaswap-fake-proc-").FullName;

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    [Fact]
    public void Sample_SumsReadsOverTheTree_AndTakesTheLargestMappingOfOneProcess()
    {
        // A shell (100) that started the server (101, two threads) which started a helper (102).
        Process(100, threads: [100], children: ["101"], io: Io(rchar: 4_000, readBytes: 0), smaps: "");
        Process(101, threads: [101, 105], children: ["102", ""], io: Io(rchar: 1_000_000, readBytes: 3_000_000), smaps: Smaps(
            (Model, 2_048), (Model, 1_024), ("/usr/lib/libc.so.6", 900), (Projector, 100), ("", 5_000)));
        Process(102, threads: [102], children: [""], io: Io(rchar: 50, readBytes: 0), smaps: Smaps((Model, 512)));
        var probe = new LoadProgressProbe(_proc, [new ModelFile(Model, 10_000_000), new ModelFile(Projector, 1_000_000)]);

        var sample = probe.Sample(100);

        // Read: 4 000 + max(1 000 000, 3 000 000) + 50. Mapped: the server's (2 048 + 1 024 + 100) kB; the helper's 512 kB is the same file.
        Assert.Equal(3_004_050, sample.ReadBytes);
        Assert.Equal((2_048 + 1_024 + 100) * 1024L, sample.MappedBytes);
        Assert.Equal([100, 101, 102], probe.Tree(100));
    }

    [Fact]
    public void Sample_OfAProcessThatIsGone_IsZero_NotAnError()
    {
        var probe = new LoadProgressProbe(_proc, [new ModelFile(Model, 1)]);

        Assert.Equal(new LoadSample(0, 0), probe.Sample(4242));
    }

    [Theory]
    [InlineData("7f1c2a000000-7f1c4a000000 r--s 00000000 fd:01 1234                       /models/big model.gguf", "/models/big model.gguf")]
    [InlineData("55d0c0a00000-55d0c0a21000 rw-p 00000000 00:00 0                          [heap]", "[heap]")]
    [InlineData("7ffd2b1e0000-7ffd2b1e2000 rw-p 00000000 00:00 0 ", null)]
    public void IsMappingHeader_ReadsThePathWithItsSpaces(string line, string? path)
    {
        Assert.True(LoadProgressProbe.IsMappingHeader(line, out var parsed));
        Assert.Equal(path, parsed);
    }

    [Theory]
    [InlineData("Rss:                2048 kB")]
    [InlineData("VmFlags: rd mr mw me sd")]
    public void IsMappingHeader_FieldLines_AreNotHeaders(string line)
        => Assert.False(LoadProgressProbe.IsMappingHeader(line, out _));

    private void Process(int pid, int[] threads, string[] children, string io, string smaps)
    {
        var directory = Path.Combine(_proc, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < threads.Length; i++)
        {
            var task = Path.Combine(directory, "task", threads[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(task);
            File.WriteAllText(Path.Combine(task, "children"), children[i].Length == 0 ? "" : children[i] + " ");
        }

        File.WriteAllText(Path.Combine(directory, "io"), io);
        File.WriteAllText(Path.Combine(directory, "smaps"), smaps);

        // maps: the same mappings without the per-mapping figures (what the probe reads first, cheaply).
        File.WriteAllLines(Path.Combine(directory, "maps"), smaps.Split('\n').Where(line => LoadProgressProbe.IsMappingHeader(line, out _)));
    }

    private static string Io(long rchar, long readBytes)
        => $"rchar: {rchar}\nwchar: 12\nsyscr: 40\nsyscw: 3\nread_bytes: {readBytes}\nwrite_bytes: 0\ncancelled_write_bytes: 0\n";

    /// <summary>smaps entries with the fields the kernel writes around Rss.</summary>
    private static string Smaps(params (string Path, long RssKb)[] mappings)
    {
        var text = new System.Text.StringBuilder();
        var address = 0x7f0000000000L;
        foreach (var (path, rss) in mappings)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{address:x}-{address + 0x1000000:x} r--p 00000000 fd:01 99                         {path}\n");
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Size:              16384 kB\nKernelPageSize:        4 kB\nRss:            {rss,8} kB\nPss:            {rss,8} kB\nVmFlags: rd mr mw me sd\n");
            address += 0x2000000;
        }

        return text.ToString();
    }
}
