using System.Diagnostics;
using System.Text.Json.Nodes;
using LlamaSwap.Core.Processes;

namespace LlamaSwap.Tests.Supervisor.Processes;

public sealed class UpstreamPidRecordsTests : IAsyncLifetime
{
    private readonly UpstreamProcessHarness _harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public void ReapLeftovers_KillsARecordedLiveGroupAndSkipsARecordWhoseStartTimeDiffers()
    {
        var leftover = StartSleeperGroup();
        var reusedPid = StartSleeperGroup();
        Assert.True(UpstreamPidRecords.Write(_harness.RunDirectory, leftover, "left-behind"));
        Assert.True(UpstreamPidRecords.Write(_harness.RunDirectory, reusedPid, "reused"));

        // Pretend the recorded process died and its pid now belongs to someone else.
        var recordPath = _harness.PidRecordPath(reusedPid);
        var record = JsonNode.Parse(File.ReadAllText(recordPath))!.AsObject();
        record["startTime"] = 1;
        File.WriteAllText(recordPath, record.ToJsonString());

        var killed = UpstreamPidRecords.ReapLeftovers(_harness.RunDirectory);

        Assert.Equal(1, killed);
        Assert.True(SpinUntil(() => !ProcFs.IsAlive(leftover)), "the recorded group was killed");
        Assert.True(ProcFs.IsAlive(reusedPid), "a pid whose start time does not match is never killed");
        Assert.False(File.Exists(_harness.PidRecordPath(leftover)));
        Assert.False(File.Exists(recordPath));
    }

    [Fact]
    public void ReapLeftovers_NoRunDirectory_ReturnsZero() =>
        Assert.Equal(0, UpstreamPidRecords.ReapLeftovers(Path.Combine(_harness.Directory, "missing")));

    [Fact]
    public void Write_ThenDelete_LeavesNoRecord()
    {
        var pid = StartSleeperGroup();

        Assert.True(UpstreamPidRecords.Write(_harness.RunDirectory, pid, "m1"));
        var record = JsonNode.Parse(File.ReadAllText(_harness.PidRecordPath(pid)))!.AsObject();
        Assert.Equal(pid, record["pid"]!.GetValue<int>());
        Assert.Equal("m1", record["modelId"]!.GetValue<string>());
        Assert.Equal(Environment.ProcessId, record["supervisorPid"]!.GetValue<int>());
        Assert.Equal(ProcFs.ReadStat(pid)!.Value.StartTime, record["startTime"]!.GetValue<ulong>());

        UpstreamPidRecords.Delete(_harness.RunDirectory, pid);

        Assert.False(File.Exists(_harness.PidRecordPath(pid)));
    }

    /// <summary>A <c>sleep</c> leading its own process group, as the supervisor spawns upstreams.</summary>
    private int StartSleeperGroup()
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/setsid", ["sleep", "300"]))!;
        _harness.TrackStray(process.Id);
        Assert.True(SpinUntil(() => ProcFs.ReadStat(process.Id)?.ProcessGroupId == process.Id), "setsid made the sleeper a group leader");
        return process.Id;
    }

    private static bool SpinUntil(Func<bool> condition) => SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(5));
}
