using System.Diagnostics.Metrics;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.State;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Inflight;
using LlamaSwap.Gateway.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.Gateway.Metrics;

public sealed class MetricsActivityListenerTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly InflightRequests _inflight = new(TimeProvider.System);
    private readonly InMemoryModelStateStore _store = new();
    private readonly LoadedModelsTracker _loaded;
    private readonly MeasurementRecorder _recorder;
    private readonly MetricsActivityListener _listener;

    public MetricsActivityListenerTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _recorder = new MeasurementRecorder(factory);
        _loaded = new LoadedModelsTracker(_store, NullLogger<LoadedModelsTracker>.Instance);
        _listener = new MetricsActivityListener(new GatewayMetrics(factory, _inflight, _loaded));
    }

    public void Dispose()
    {
        _recorder.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void OnRecorded_CountsTheRequestByModelAndStatus_AndItsTokens()
    {
        _listener.OnRecorded(Entry("chat-a", 200, input: 12, output: 34));
        _listener.OnRecorded(Entry("chat-a", 200, input: 1, output: 2));

        var requests = _recorder.Of("llamaswap.requests");
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal(1, r.Value);
            Assert.Equal("chat-a", r.Tags["model"]);
            Assert.Equal(200, r.Tags["status_code"]);
        });
        Assert.Equal(13, _recorder.Of("llamaswap.tokens.input").Sum(m => m.Value));
        Assert.Equal(36, _recorder.Of("llamaswap.tokens.output").Sum(m => m.Value));
        Assert.All(_recorder.Of("llamaswap.tokens.output"), m => Assert.Equal("chat-a", m.Tags["model"]));
    }

    [Fact]
    public void OnRecorded_RecordsTimingsInSeconds()
    {
        _listener.OnRecorded(Entry("m", 200) with { FirstByteMs = 250, QueueWaitMs = 1500, LoadMs = 4000 });

        Assert.Equal(0.25, Assert.Single(_recorder.Of("llamaswap.time_to_first_token")).Value, precision: 9);
        Assert.Equal(1.5, Assert.Single(_recorder.Of("llamaswap.queue_wait")).Value, precision: 9);
        Assert.Equal(4.0, Assert.Single(_recorder.Of("llamaswap.model_load")).Value, precision: 9);
    }

    [Fact]
    public void OnRecorded_LeavesOutUnknownFigures_AndLoadsThatDidNotHappen()
    {
        // -1: not reported / not dispatched locally; load 0: the model was already ready.
        _listener.OnRecorded(Entry("m", 502) with { FirstByteMs = -1, QueueWaitMs = -1, LoadMs = 0 });

        Assert.Equal(502, Assert.Single(_recorder.Of("llamaswap.requests")).Tags["status_code"]);
        Assert.Empty(_recorder.Of("llamaswap.tokens.input"));
        Assert.Empty(_recorder.Of("llamaswap.tokens.output"));
        Assert.Empty(_recorder.Of("llamaswap.time_to_first_token"));
        Assert.Empty(_recorder.Of("llamaswap.queue_wait"));
        Assert.Empty(_recorder.Of("llamaswap.model_load"));
    }

    [Fact]
    public void InflightGauge_IsTheNumberOfRequestsBeingServed()
    {
        using var first = _inflight.Track(new DefaultHttpContext());
        using (_inflight.Track(new DefaultHttpContext()))
        {
            _recorder.Observe();
            Assert.Equal(2, Assert.Single(_recorder.Of("llamaswap.requests.inflight")).Value);
        }

        _recorder.Clear();
        _recorder.Observe();
        Assert.Equal(1, Assert.Single(_recorder.Of("llamaswap.requests.inflight")).Value);
    }

    [Fact]
    public async Task ModelsLoadedGauge_FollowsStateChangesFromTheStore()
    {
        await _store.PublishAsync(State("a", ModelStates.Ready));
        await _store.PublishAsync(State("b", ModelStates.Stopped));
        await _loaded.StartAsync(CancellationToken.None);
        _recorder.Observe();
        Assert.Equal(1, Assert.Single(_recorder.Of("llamaswap.models.loaded")).Value);

        await _store.PublishAsync(State("b", ModelStates.Starting));
        await _store.PublishAsync(State("c", ModelStates.Ready));
        await _store.PublishAsync(State("a", ModelStates.Stopped));
        _recorder.Clear();
        _recorder.Observe();
        Assert.Equal(2, Assert.Single(_recorder.Of("llamaswap.models.loaded")).Value);
        await _loaded.DisposeAsync();
    }

    private static ActivityEntry Entry(string model, int status, long input = -1, long output = -1) => new()
    {
        Model = model,
        ResponseStatusCode = status,
        Tokens = new ActivityTokens { InputTokens = input, OutputTokens = output },
    };

    private static ModelStateRecord State(string model, string state) => new()
    {
        Model = model,
        State = state,
        Proxy = "http://127.0.0.1:1",
        Cmd = "x",
    };
}
