using System.Text.RegularExpressions;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Cli.Download;

/// <summary><c>llamaswap download</c> against a fake hub: selection, resume, skip, hashes, errors, progress.</summary>
public sealed class DownloadCommandTests : IAsyncLifetime
{
    private DownloadHarness _harness = null!;

    private FakeHub Hub => _harness.Hub;

    public async Task InitializeAsync() => _harness = await DownloadHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task IncludeGlob_DownloadsOnlyMatchingFiles_WithTheirContent_TokenToHubOnly()
    {
        var repo = Hub.Repo("owner/Model-GGUF");
        var readme = repo.Add("README.md", 3000, lfs: false);
        var q4 = repo.Add("model-Q4_K_M.gguf", 300_000);
        repo.Add("model-Q8_0.gguf", 200_000);
        var shard = repo.Add("Q4_K_M/model-Q4_K_M-00001-of-00002.gguf", 100_000);

        var result = await _harness.RunAsync("owner/Model-GGUF", "--include", "*Q4_K_M*", "--include", "README.md");

        Assert.True(result.ExitCode == 0, result.ToString());
        var folder = Path.Combine(_harness.Root, "Model-GGUF");
        Assert.Equal(
            ["Q4_K_M/model-Q4_K_M-00001-of-00002.gguf", "README.md", "model-Q4_K_M.gguf"],
            Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f))
                .Where(f => !f.StartsWith(".llamaswap", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal));
        foreach (var file in new[] { readme, q4, shard })
        {
            Assert.Equal(file.Content, await File.ReadAllBytesAsync(Path.Combine(folder, file.Path)));
        }

        Assert.DoesNotContain(Hub.Served, s => s.Path == "model-Q8_0.gguf");
        Assert.All(Hub.Listings, l => Assert.Equal("Bearer " + DownloadHarness.Token, l.Authorization));
        // README.md is served by the hub itself, LFS files by the "CDN" on another host name.
        Assert.Equal("Bearer " + DownloadHarness.Token, Assert.Single(Hub.Served, s => s.Path == "README.md").Authorization);
        Assert.All(Hub.Served.Where(s => s.Path.EndsWith(".gguf", StringComparison.Ordinal)), s => Assert.Null(s.Authorization));
    }

    [Fact]
    public async Task ConnectionCut_SecondRunResumesWithRange_AndFetchesOnlyTheRest()
    {
        var file = Hub.Repo("owner/cut").Add("big.gguf", 2_000_000);
        file.CutAt = 1_200_000;
        file.CutsLeft = 1;
        var target = _harness.PathOf("cut", "big.gguf");

        var first = await _harness.RunAsync("owner/cut");

        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.Contains("big.gguf: connection", first.Error, StringComparison.Ordinal);
        Assert.Contains("run the same command again to resume", first.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
        var kept = new FileInfo(target + ".part").Length;
        Assert.InRange(kept, 1, file.Content.Length - 1);
        var servedFirst = Hub.BytesServed("big.gguf");

        var second = await _harness.RunAsync("owner/cut");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(file.Content, await File.ReadAllBytesAsync(target));
        Assert.False(File.Exists(target + ".part"));
        var resumed = Hub.Served.Last();
        Assert.Equal($"bytes={kept}-", resumed.Range);
        Assert.Equal(206, resumed.Status);
        Assert.Equal(file.Content.Length - kept, resumed.Bytes);
        Assert.Equal(file.Content.Length - kept, Hub.BytesServed("big.gguf") - servedFirst);
        Assert.Contains($"resuming at", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionCut_RetriedInTheSameRun_FromWhereItStopped()
    {
        var file = Hub.Repo("owner/retry").Add("big.gguf", 1_000_000);
        file.CutAt = 500_000;
        file.CutsLeft = 1;

        var result = await DownloadHarness.RunAsync(_harness.Context(maxAttempts: 3), "owner/retry");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(file.Content, await File.ReadAllBytesAsync(_harness.PathOf("retry", "big.gguf")));
        Assert.Contains("retrying in 0s (attempt 2 of 3)", result.Output, StringComparison.Ordinal);
        var served = Hub.Served.ToList();
        Assert.Equal(2, served.Count);
        Assert.Null(served[0].Range);
        var resumedAt = long.Parse(Regex.Match(served[1].Range!, @"^bytes=(\d+)-$").Groups[1].ValueSpan, provider: null);
        Assert.InRange(resumedAt, 1, file.Content.Length - 1);
        Assert.Equal(file.Content.Length - resumedAt, served[1].Bytes);
    }

    [Fact]
    public async Task CompleteFiles_SecondRunFetchesNothing()
    {
        var repo = Hub.Repo("owner/skip");
        repo.Add("a.gguf", 100_000);
        repo.Add("config.json", 500, lfs: false);
        Assert.Equal(0, (await _harness.RunAsync("owner/skip")).ExitCode);
        var served = Hub.Served.Count;

        var second = await _harness.RunAsync("owner/skip");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(served, Hub.Served.Count);
        Assert.Contains("a.gguf: up to date", second.Output, StringComparison.Ordinal);
        Assert.Contains("config.json: up to date", second.Output, StringComparison.Ordinal);
        Assert.Contains("(0 downloaded, 2 already there)", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteFile_ChangedOnDisk_TrustedWhileSizeAndMtimeHold_RehashedAndRefetchedOnceMtimeMoves()
    {
        var file = Hub.Repo("owner/marker").Add("m.gguf", 50_000);
        Assert.Equal(0, (await _harness.RunAsync("owner/marker")).ExitCode);
        var target = _harness.PathOf("marker", "m.gguf");
        var verifiedAt = File.GetLastWriteTimeUtc(target);

        // Same size and mtime: the verified marker stands in for hashing (the documented trade-off).
        var bytes = await File.ReadAllBytesAsync(target);
        bytes[0] ^= 0xFF;
        await File.WriteAllBytesAsync(target, bytes);
        File.SetLastWriteTimeUtc(target, verifiedAt);
        var trusted = await _harness.RunAsync("owner/marker");
        Assert.Contains("m.gguf: up to date", trusted.Output, StringComparison.Ordinal);
        Assert.Single(Hub.Served);

        File.SetLastWriteTimeUtc(target, verifiedAt.AddMinutes(1));
        var rechecked = await _harness.RunAsync("owner/marker");

        Assert.True(rechecked.ExitCode == 0, rechecked.ToString());
        Assert.Contains("m.gguf: the copy on disk differs from the hub", rechecked.Output, StringComparison.Ordinal);
        Assert.Equal(2, Hub.Served.Count);
        Assert.Equal(file.Content, await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task BadHash_Refused_NonZeroExit_NoCompleteLookingFile()
    {
        var file = Hub.Repo("owner/bad").Add("bad.gguf", 100_000);
        file.Damaged = true;
        var target = _harness.PathOf("bad", "bad.gguf");

        var result = await _harness.RunAsync("owner/bad");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"bad.gguf: hash mismatch: the hub lists sha256:{file.Sha256}", result.Error, StringComparison.Ordinal);
        Assert.Contains("The download was deleted", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".part"));
    }

    [Fact]
    public async Task ServerIgnoringRange_StartsOverFromZero()
    {
        var file = Hub.Repo("owner/norange").Add("f.gguf", 300_000);
        file.IgnoreRange = true;
        var target = _harness.PathOf("norange", "f.gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Garbage in the .part: only a real restart from 0 ends with the right content.
        await File.WriteAllBytesAsync(target + ".part", new byte[100_000]);

        var result = await _harness.RunAsync("owner/norange");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("the server ignored the range request: starting over from 0", result.Output, StringComparison.Ordinal);
        var served = Assert.Single(Hub.Served);
        Assert.Equal("bytes=100000-", served.Range);
        Assert.Equal(200, served.Status);
        Assert.Equal(file.Content, await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task UnknownRepository_ClearMessage()
    {
        var result = await _harness.RunAsync("nobody/nothing-GGUF");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"repository nobody/nothing-GGUF not found on {Hub.Url} (or HF_TOKEN has no access to it)", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_harness.Root, "nothing-GGUF")));
    }

    [Fact]
    public async Task UnknownRevision_ClearMessage()
    {
        Hub.Repo("owner/rev").Add("a.gguf", 10);

        var result = await _harness.RunAsync("owner/rev", "--revision", "v9");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("revision 'v9' not found in owner/rev", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeveralQuantizationsWithoutInclude_StopsWithTheChoices()
    {
        var repo = Hub.Repo("owner/many-GGUF");
        repo.Add("many-Q4_K_M.gguf", 1000);
        repo.Add("many-Q8_0-00001-of-00002.gguf", 1000);
        repo.Add("many-Q8_0-00002-of-00002.gguf", 1000);
        repo.Add("BF16/many-BF16-00001-of-00002.gguf", 1000);
        repo.Add("mmproj-F16.gguf", 1000);

        var result = await _harness.RunAsync("owner/many-GGUF");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("owner/many-GGUF holds 3 GGUF quantizations", result.Error, StringComparison.Ordinal);
        Assert.Contains("--include 'BF16/*'", result.Error, StringComparison.Ordinal);
        Assert.Contains("--include 'many-Q4_K_M.gguf'", result.Error, StringComparison.Ordinal);
        Assert.Contains("--include 'many-Q8_0-*-of-*.gguf'  2 file(s)", result.Error, StringComparison.Ordinal);
        Assert.Empty(Hub.Served);
    }

    [Fact]
    public async Task ListedFileMissingOnTheServer_ClearMessage_NoEmptyPartLeft()
    {
        Hub.Repo("owner/gone").Add("g.gguf", 1000).Gone = true;

        var result = await _harness.RunAsync("owner/gone");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("g.gguf: 127.0.0.1 answered 404 Not Found", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_harness.PathOf("gone", "g.gguf.part")));
    }

    [Fact]
    public async Task PartLockedByAnotherRun_Refused_AndLeftAlone()
    {
        Hub.Repo("owner/locked").Add("l.gguf", 1000);
        var part = _harness.PathOf("locked", "l.gguf.part");
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        await using var otherRun = new FileStream(part, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);

        var result = await _harness.RunAsync("owner/locked");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("l.gguf.part", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(part));
        Assert.Empty(Hub.Served);
    }

    [Fact]
    public async Task IncludeMatchingNothing_SaysWhatTheRepositoryHas()
    {
        Hub.Repo("owner/few").Add("only.gguf", 10);

        var result = await _harness.RunAsync("owner/few", "--include", "*Q4*");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no file of owner/few matches '*Q4*'; it has: only.gguf", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotEnoughSpace_RefusedBeforeDownloading()
    {
        Hub.Repo("owner/huge").Add("h.gguf", 10_000);

        var result = await DownloadHarness.RunAsync(_harness.Context() with { FreeSpace = _ => 1000 }, "owner/huge");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("owner/huge needs 9.8 KiB more, 1000 B free", result.Error, StringComparison.Ordinal);
        Assert.Empty(Hub.Served);
    }

    [Fact]
    public async Task DirOption_PutsFilesThere()
    {
        var file = Hub.Repo("owner/dir").Add("x.gguf", 1000);
        var dir = Path.Combine(_harness.Root, "elsewhere");

        var result = await _harness.RunAsync("owner/dir", "--dir", dir);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(file.Content, await File.ReadAllBytesAsync(Path.Combine(dir, "x.gguf")));
        Assert.Contains($"  model file: {Path.Combine(dir, "x.gguf")}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotATerminal_PrintsPlainProgressLines_WithPercentSpeedAndEta()
    {
        Hub.Repo("owner/progress").Add("p.gguf", 3_000_000);
        // The command's clock moves as the body is read, at 320 KiB/s, whatever the loopback really does.
        var clock = new ManualTimeProvider();
        using var handler = new PacedHandler(clock, bytesPerSecond: 320 * 1024);

        var result = await DownloadHarness.RunAsync(_harness.Context() with { Clock = clock, Handler = handler }, "owner/progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain('\r', result.Output);
        var lines = result.Output.Split('\n');
        var progress = lines
            .Select(l => Regex.Match(l, @"^p\.gguf  +(?<pct>\d+\.\d)%  \d+(\.\d)? (B|KiB|MiB) / 2\.9 MiB  (?<speed>\d+\.\d KiB|--)/s  ETA (?<eta>\d+s|\d+m\d\ds|--)$"))
            .Where(m => m.Success)
            .ToList();
        Assert.True(progress.Count >= 2, result.Output);
        Assert.Equal("0.0", progress[0].Groups["pct"].Value);
        // Past the first half second of the clock (160 KiB), speed and ETA are known.
        var measured = progress.Where(m => m.Groups["speed"].Value != "--").ToList();
        Assert.NotEmpty(measured);
        Assert.All(measured, m => Assert.Equal("320.0 KiB", m.Groups["speed"].Value));
        Assert.All(measured, m => Assert.NotEqual("--", m.Groups["eta"].Value));
        Assert.Contains("p.gguf  100.0%  2.9 MiB  in 9s (320.0 KiB/s)", result.Output, StringComparison.Ordinal);
    }
}
