using LlamaSwap.Cli.Download;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.Cli.Download;

/// <summary>What a person reads while a file downloads, on a clock the test moves.</summary>
public sealed class ProgressTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void Line_ShowsPercentBytesSpeedAndEta()
    {
        var line = ProgressFormat.Line("model.gguf", 412 * MiB, 1000 * MiB, 20 * MiB, bar: false);

        Assert.Equal("model.gguf   41.2%  412.0 MiB / 1000.0 MiB  20.0 MiB/s  ETA 29s", line);
    }

    [Fact]
    public void Line_WithBar_OnATerminal()
    {
        var line = ProgressFormat.Line("m.gguf", 50 * MiB, 100 * MiB, 1.5 * MiB, bar: true);

        Assert.Equal("m.gguf  [##########----------]   50.0%  50.0 MiB / 100.0 MiB  1.5 MiB/s  ETA 33s", line);
    }

    [Fact]
    public void Line_SpeedUnknown_ShowsDashes()
        => Assert.Equal("m    0.0%  0 B / 10.0 GiB  --/s  ETA --", ProgressFormat.Line("m", 0, 10L * 1024 * MiB, null, bar: false));

    [Fact]
    public void Line_NarrowTerminal_ShortensTheNameFromTheLeft()
    {
        var line = ProgressFormat.Line("UD-Q4_K_XL/Qwen3-Coder-Next-UD-Q4_K_XL-00001-of-00002.gguf", 1, 2, null, bar: true, width: 80);

        Assert.True(line.Length < 80, line);
        Assert.StartsWith("...", line, StringComparison.Ordinal);
        Assert.Contains("00001-of-00002.gguf  [", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59.2, "59s")]
    [InlineData(59.5, "1m00s")]
    [InlineData(61, "1m01s")]
    [InlineData(3 * 3600 + 5 * 60, "3h05m")]
    [InlineData(400 * 3600, ">99h")]
    public void Duration_ReadsAsHoursMinutesSeconds(double seconds, string expected)
        => Assert.Equal(expected, ProgressFormat.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(63_350_000_000, "59.0 GiB")]
    public void Bytes_BinaryUnits(long bytes, string expected) => Assert.Equal(expected, ProgressFormat.Bytes(bytes));

    [Fact]
    public void NotATerminal_ALineAtEachTenthAndEvery30Seconds_ThenTheTimeTaken()
    {
        var clock = new ManualTimeProvider();
        var output = new StringWriter();
        var progress = new DownloadProgress(output, ProgressOutput.Plain, clock, "m.gguf", 1000 * MiB);

        progress.Start(0);
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(50 * MiB);   // within the first tenth: no line
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(100 * MiB);  // 10 %
        clock.Advance(TimeSpan.FromSeconds(30));
        progress.Report(150 * MiB);  // 30 s since the last line; 50 MiB in the last 30 s
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(1000 * MiB); // 100 %: left to the closing line
        progress.Finish();

        Assert.Equal(
            [
                "m.gguf    0.0%  0 B / 1000.0 MiB  --/s  ETA --",
                "m.gguf   10.0%  100.0 MiB / 1000.0 MiB  50.0 MiB/s  ETA 18s",
                "m.gguf   15.0%  150.0 MiB / 1000.0 MiB  1.7 MiB/s  ETA 8m30s",
                "m.gguf  100.0%  1000.0 MiB  in 33s (30.3 MiB/s)",
            ],
            output.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Terminal_RedrawsOneLineInPlace_AtMostEvery200Ms()
    {
        var clock = new ManualTimeProvider();
        var output = new StringWriter();
        var progress = new DownloadProgress(output, new ProgressOutput(true, 120), clock, "m.gguf", 100 * MiB);

        progress.Start(0);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        progress.Report(1 * MiB);    // too soon after the last draw
        clock.Advance(TimeSpan.FromMilliseconds(900));
        progress.Report(10 * MiB);

        Assert.Equal(
            "\rm.gguf  [--------------------]    0.0%  0 B / 100.0 MiB  --/s  ETA --"
            + "\rm.gguf  [##------------------]   10.0%  10.0 MiB / 100.0 MiB  10.0 MiB/s  ETA 9s",
            output.ToString());

        clock.Advance(TimeSpan.FromSeconds(9));
        progress.Report(100 * MiB);
        progress.Finish();

        // The closing line ends the redrawn one, blanking what a longer progress line left behind.
        var draws = output.ToString().Split('\r');
        Assert.Equal("m.gguf  100.0%  100.0 MiB  in 10s (10.0 MiB/s)", draws[^1].TrimEnd());
        Assert.EndsWith("\n", draws[^1], StringComparison.Ordinal);
        Assert.Equal(draws[^2].Length + 1, draws[^1].Length);
    }

    [Fact]
    public void Rate_FollowsTheLastTenSeconds_NotTheWholeDownload()
    {
        var clock = new ManualTimeProvider();
        var rate = new TransferRate(clock, TimeSpan.FromSeconds(10));
        rate.Restart(0);
        long bytes = 0;
        for (var second = 0; second < 60; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            bytes += second < 30 ? 100 * MiB : 10 * MiB; // the connection slows down after 30 s
            rate.Add(bytes);
        }

        Assert.Equal(10 * MiB, rate.BytesPerSecond(bytes)!.Value, precision: 0);
    }
}
