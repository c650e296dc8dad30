using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Tests.Supervisor.Processes;

public sealed class RecentOutputTests
{
    [Fact]
    public void Add_MoreThanTheLineLimit_KeepsTheNewestLinesOldestFirst()
    {
        var output = new RecentOutput();
        for (var i = 1; i <= 25; i++)
        {
            output.Add($"line {i}");
        }

        Assert.Equal(Enumerable.Range(16, RecentOutput.MaxLines).Select(i => $"line {i}"), output.Snapshot());
    }

    [Fact]
    public void Add_LongLines_KeepsAtMostTheCharacterLimit()
    {
        var output = new RecentOutput();
        output.Add("old");
        output.Add(new string('a', 1500));
        output.Add(new string('b', 1500));

        var kept = output.Snapshot();

        Assert.Equal([new string('b', 1500)], kept);
        Assert.True(kept.Sum(line => line.Length) <= RecentOutput.MaxChars);
    }

    [Fact]
    public void Add_OneOverlongLine_KeepsItsEnd()
    {
        var output = new RecentOutput();
        output.Add(new string('x', 5000) + " error: the end");

        var line = Assert.Single(output.Snapshot());

        Assert.Equal(RecentOutput.MaxChars, line.Length);
        Assert.StartsWith("…", line, StringComparison.Ordinal);
        Assert.EndsWith(" error: the end", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_BlankLines_AreNotKept()
    {
        var output = new RecentOutput();
        output.Add("failed to load model");
        output.Add("");
        output.Add("   ");

        Assert.Equal(["failed to load model"], output.Snapshot());
    }
}
