using System.Collections.Concurrent;
using System.Diagnostics;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Supervisor.Telemetry;
using LlamaSwap.Tests.Infrastructure;
using LlamaSwap.Tests.Supervisor.Scheduling;

namespace LlamaSwap.Tests.Supervisor.Telemetry;

/// <summary>The owner loop's <c>queue wait</c> and <c>model load</c> spans, parented to the acquire that caused them.</summary>
public sealed class SchedulerSpansTests : IDisposable
{
    // Stands in for the supervisor's server span of POST /acquire; a source of its own per test class instance.
    private readonly ActivitySource _requests = new($"LlamaSwap.Tests.Spans.{Guid.NewGuid():N}");
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public SchedulerSpansTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SupervisorTelemetry.SourceName || source == _requests,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _requests.Dispose();
    }

    [Fact]
    public async Task AcquireThatLoadsItsModel_HasQueueWaitAndModelLoadSpansUnderTheRequest()
    {
        await using var harness = new SchedulerHarness(SchedulerHarness.OneAtATime("a"), autoStart: false);
        using var request = _requests.StartActivity("POST /acquire")!;

        var pending = harness.Acquire("a");
        Assert.Same(request, Activity.Current);
        await Eventually.TrueAsync(() => harness.Factory.Created.Count == 1, "the model's process is created");
        Assert.Empty(SpansOf(request, SupervisorTelemetry.ModelLoadSpan));
        harness.Factory.Latest("a").CompleteStart();
        await harness.Granted(pending);

        var load = await SingleSpanAsync(request, SupervisorTelemetry.ModelLoadSpan);
        var wait = await SingleSpanAsync(request, SupervisorTelemetry.QueueWaitSpan);
        Assert.Equal(request.SpanId, load.ParentSpanId);
        Assert.Equal(request.SpanId, wait.ParentSpanId);
        Assert.Equal("a", load.GetTagItem(SupervisorTelemetry.ModelAttribute));
        Assert.Equal("a", wait.GetTagItem(SupervisorTelemetry.ModelAttribute));
        Assert.Equal(ActivityStatusCode.Unset, load.Status);
        Assert.Equal(ActivityStatusCode.Unset, wait.Status);
        Assert.True(load.StartTimeUtc >= wait.StartTimeUtc && load.StartTimeUtc + load.Duration <= wait.StartTimeUtc + wait.Duration,
            "the load happens within the request's wait");
    }

    [Fact]
    public async Task AcquireOfAReadyModel_HasOnlyAQueueWaitSpan()
    {
        await using var harness = new SchedulerHarness(SchedulerHarness.OneAtATime("a"));
        await harness.Granted(harness.Acquire("a"));
        using var request = _requests.StartActivity("POST /acquire")!;

        await harness.Granted(harness.Acquire("a"));

        await SingleSpanAsync(request, SupervisorTelemetry.QueueWaitSpan);
        Assert.Empty(SpansOf(request, SupervisorTelemetry.ModelLoadSpan));
    }

    [Fact]
    public async Task FailedStart_MarksBothSpansAsErrors()
    {
        await using var harness = new SchedulerHarness(SchedulerHarness.OneAtATime("a"), autoStart: false);
        using var request = _requests.StartActivity("POST /acquire")!;

        var pending = harness.Acquire("a");
        await Eventually.TrueAsync(() => harness.Factory.Created.Count == 1, "the model's process is created");
        harness.Factory.Latest("a").FailStart("health check timed out");
        var outcome = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(outcome.Lease);
        Assert.Equal(ActivityStatusCode.Error, (await SingleSpanAsync(request, SupervisorTelemetry.ModelLoadSpan)).Status);
        Assert.Equal(ActivityStatusCode.Error, (await SingleSpanAsync(request, SupervisorTelemetry.QueueWaitSpan)).Status);
    }

    [Fact]
    public async Task CancelledWait_EndsItsSpan()
    {
        await using var harness = new SchedulerHarness(SchedulerHarness.OneAtATime("a"), autoStart: false);
        using var request = _requests.StartActivity("POST /acquire")!;
        using var cancel = new CancellationTokenSource();

        var pending = harness.Acquire("a", cancel.Token);
        await Eventually.TrueAsync(() => harness.Factory.Created.Count == 1, "the model's process is created");
        await cancel.CancelAsync();
        await pending.WaitAsync(TimeSpan.FromSeconds(10));

        var wait = await SingleSpanAsync(request, SupervisorTelemetry.QueueWaitSpan);
        Assert.Equal("cancelled", wait.GetTagItem("llamaswap.outcome"));
        Assert.Equal(ModelStates.Starting, harness.StateOf("a"));
    }

    private List<Activity> SpansOf(Activity request, string name)
        => [.. _stopped.Where(a => a.TraceId == request.TraceId && a.OperationName == name)];

    private async Task<Activity> SingleSpanAsync(Activity request, string name)
    {
        await Eventually.TrueAsync(() => SpansOf(request, name).Count > 0, $"a '{name}' span ends");
        return Assert.Single(SpansOf(request, name));
    }
}
