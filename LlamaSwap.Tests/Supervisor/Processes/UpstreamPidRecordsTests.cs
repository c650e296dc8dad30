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

    [Fact]
    public void ReadLeftovers_ReturnsRecordsOfADeadOwnerWithTheirFingerprint_ClaimMakesThemOurs()
    {
        var pid = StartSleeperGroup();
        Assert.True(UpstreamPidRecords.Write(_harness.RunDirectory, pid, "m1", "abc123"));

        // The owner of the record is a process that has exited.
        using var gone = Process.Start(new ProcessStartInfo("/bin/true"))!;
        gone.WaitForExit();
        var path = _harness.PidRecordPath(pid);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["supervisorPid"] = gone.Id;
        File.WriteAllText(path, json.ToJsonString());

        var record = Assert.Single(UpstreamPidRecords.ReadLeftovers(_harness.RunDirectory));

        Assert.Equal(("m1", "abc123", gone.Id), (record.ModelId, record.Fingerprint, record.SupervisorPid));
        Assert.True(record.IsLeaderAlive());

        UpstreamPidRecords.Claim(_harness.RunDirectory, record);

        Assert.Equal(Environment.ProcessId, JsonNode.Parse(File.ReadAllText(path))!["supervisorPid"]!.GetValue<int>());
        Assert.True(ProcFs.IsAlive(pid), "claiming kills nothing");
    }

    [Fact]
    public void ReadLeftovers_SkipsRecordsOfARunningOwner()
    {
        var pid = StartSleeperGroup();
        var owner = StartSleeperGroup();
        Assert.True(UpstreamPidRecords.Write(_harness.RunDirectory, pid, "m1"));
        var path = _harness.PidRecordPath(pid);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["supervisorPid"] = owner;
        json["supervisorStartTime"] = ProcFs.ReadStat(owner)!.Value.StartTime;
        File.WriteAllText(path, json.ToJsonString());

        Assert.Empty(UpstreamPidRecords.ReadLeftovers(_harness.RunDirectory));
        Assert.True(File.Exists(path));
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
