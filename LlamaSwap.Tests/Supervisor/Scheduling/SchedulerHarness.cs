using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.State;
using LlamaSwap.Supervisor.Scheduling;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlamaSwap.Tests.Supervisor.Scheduling;

/// <summary>A scheduler wired to fake processes, an in-memory state store and a manual clock.</summary>
internal sealed class SchedulerHarness : IAsyncDisposable
{
    private int _requests;

    public SchedulerHarness(LlamaSwapConfig config, bool autoStart = true, TimeSpan? gatewayTimeout = null)
    {
        Factory = new FakeUpstreamProcessFactory(autoStart);
        Publisher = new StatePublisher(Store, NullLogger<StatePublisher>.Instance);
        Scheduler = new ModelScheduler(config, Factory, Publisher, Time, NullLogger<ModelScheduler>.Instance, gatewayTimeout);
        Scheduler.Start();
    }

    public ManualTimeProvider Time { get; } = new();

    public InMemoryModelStateStore Store { get; } = new();

    public StatePublisher Publisher { get; }

    public FakeUpstreamProcessFactory Factory { get; }

    public ModelScheduler Scheduler { get; }

    public Task<AcquireOutcome> Acquire(string model, CancellationToken cancellationToken = default)
        => Scheduler.AcquireAsync(model, $"r{Interlocked.Increment(ref _requests)}", cancellationToken);

    public async Task<AcquireResponse> Granted(Task<AcquireOutcome> pending)
    {
        var outcome = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(outcome.Lease is not null, $"expected a lease, got {outcome.Status} {outcome.Error?.Message}");
        return outcome.Lease!;
    }

    public string StateOf(string model) => Scheduler.Snapshot().Single(r => r.Model == model).State;

    public Task WaitForState(string model, string state)
        => Eventually.TrueAsync(() => StateOf(model) == state, $"{model} is {state} (is {StateOf(model)})");

    public async ValueTask DisposeAsync()
    {
        await Scheduler.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await Scheduler.DisposeAsync();
        await Publisher.DisposeAsync();
    }

    public static LlamaSwapConfig Config(IEnumerable<GroupConfig> groups, Func<ModelConfig, ModelConfig>? adjust = null)
    {
        var groupList = groups.ToList();
        var models = new SortedDictionary<string, ModelConfig>(StringComparer.Ordinal);
        var port = 5800;
        foreach (var id in groupList.SelectMany(g => g.Members))
        {
            var model = new ModelConfig
            {
                Id = id,
                CmdText = $"fake {id}",
                Command = ["fake", id],
                Proxy = new Uri($"http://127.0.0.1:{port++}"),
            };
            models.Add(id, adjust?.Invoke(model) ?? model);
        }

        return new LlamaSwapConfig { Models = models, Groups = groupList.ToDictionary(g => g.Id) };
    }

    public static LlamaSwapConfig OneAtATime(params string[] models)
        => Config([new GroupConfig { Id = GroupConfig.DefaultGroupId, Members = models }]);
}
