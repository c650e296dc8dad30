using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Configuration.Reload;
using LlamaSwap.Core.Configuration.Reporting;
using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Tests.Configuration.Reload;

/// <summary>A reload that is refused or fails keeps the running config and always logs why.</summary>
public sealed class ConfigReloaderTests : IDisposable
{
    private const string Valid = "models:\n  a:\n    cmd: server --port ${PORT}\n";

    private const string Broken = "modles: {}\nmodels:\n  a:\n    cmd: server --port ${PORT}\n    ttl: soon\n";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("llamaswap-reloader-");
    private readonly RecordingLogger _log = new();
    private readonly List<ConfigReloader> _reloaders = [];

    public void Dispose()
    {
        // Also drops each reloader's SIGHUP registration.
        _reloaders.ForEach(r => r.Dispose());
        _dir.Delete(recursive: true);
    }

    [Theory]
    [InlineData("alpha: [unclosed", "line 2, column 1", "did not find expected ',' or ']'")]
    [InlineData("models:\n  alpha: [unclosed\n  beta:\n    cmd: x ${PORT}\n", "line 3, column 3", "a '[' or '{' is not closed before this line")]
    [InlineData("models:\n  alpha:\n    cmd: echo a: b --port ${PORT}\n", "line 3, column 16", "quote the value")]
    public async Task ReloadAsync_InvalidYaml_RefusesAndLogsTheErrorWithItsLocation(string yaml, string location, string problem)
    {
        var (reloader, target) = await StartAsync();
        File.WriteAllText(ConfigPath, yaml);

        Assert.False(await reloader.ReloadAsync("SIGHUP").WaitAsync(Deadline));

        Assert.Empty(target.Applied);
        var refusal = Assert.Single(_log.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(82, refusal.EventId);
        Assert.Contains("Refused to reload", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(location, refusal.Message, StringComparison.Ordinal);
        Assert.Contains(problem, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReloadAsync_Quiet_RefusesInOneEntryThatLeavesTheErrorsToTheSupervisor()
    {
        // Every service reloads the same file: only the supervisor lists what is wrong with it.
        var (reloader, target) = await StartAsync(role: ConfigDiagnosticsRole.Quiet);
        File.WriteAllText(ConfigPath, Broken);

        Assert.False(await reloader.ReloadAsync("SIGHUP").WaitAsync(Deadline));

        Assert.Empty(target.Applied);
        var refusal = Assert.Single(_log.Entries);
        Assert.Equal(86, refusal.EventId);
        Assert.Equal(LogLevel.Error, refusal.Level);
        Assert.Contains("1 error(s), listed by the supervisor", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("models.a.ttl", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReloadAsync_Reporter_ListsTheWarningsAndTheErrors()
    {
        var (reloader, _) = await StartAsync();
        File.WriteAllText(ConfigPath, Broken);

        Assert.False(await reloader.ReloadAsync("SIGHUP").WaitAsync(Deadline));

        Assert.Contains("did you mean \"models\"", Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning).Message, StringComparison.Ordinal);
        Assert.Contains("models.a.ttl", Assert.Single(_log.Entries, e => e.Level == LogLevel.Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReloadAsync_ATargetThrows_LogsTheFailureInsteadOfThrowing()
    {
        // SIGHUP starts a reload without awaiting it: an exception would vanish unlogged.
        var (reloader, _) = await StartAsync(new ThrowingTarget());

        Assert.False(await reloader.ReloadAsync("SIGHUP").WaitAsync(Deadline));

        var failure = Assert.Single(_log.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(85, failure.EventId);
        Assert.Contains("(SIGHUP) failed", failure.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(failure.Exception);
    }

    [Fact]
    public async Task ReloadAsync_AfterARefusal_AValidFileIsApplied()
    {
        var (reloader, target) = await StartAsync();
        File.WriteAllText(ConfigPath, "models:\n  alpha: [unclosed\n  beta:\n    cmd: x ${PORT}\n");
        Assert.False(await reloader.ReloadAsync("SIGHUP").WaitAsync(Deadline));

        File.WriteAllText(ConfigPath, Valid.Replace("a:", "b:", StringComparison.Ordinal));

        Assert.True(await reloader.ReloadAsync("SIGHUP").WaitAsync(Deadline));
        Assert.Equal(["b"], Assert.Single(target.Applied).Models.Keys);
    }

    private string ConfigPath => Path.Combine(_dir.FullName, "config.yaml");

    private async Task<(ConfigReloader Reloader, RecordingTarget Target)> StartAsync(
        IConfigReloadTarget? extra = null, ConfigDiagnosticsRole role = ConfigDiagnosticsRole.Reporter)
    {
        File.WriteAllText(ConfigPath, Valid);
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [WiringEnvironment.ConfigPathKey] = ConfigPath })
            .Build();
        var target = new RecordingTarget();
        var reloader = new ConfigReloader(settings, extra is null ? [target] : [extra, target], TimeProvider.System, _log, role);
        _reloaders.Add(reloader);
        await reloader.StartAsync(CancellationToken.None);
        return (reloader, target);
    }

    private sealed record Entry(LogLevel Level, int EventId, string Message, Exception? Exception);

    private sealed class RecordingLogger : ILogger<ConfigReloader>
    {
        private readonly List<Entry> _entries = [];

        public IReadOnlyList<Entry> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add(new Entry(logLevel, eventId.Id, formatter(state, exception), exception));
            }
        }
    }

    private sealed class RecordingTarget : IConfigReloadTarget
    {
        public List<LlamaSwapConfig> Applied { get; } = [];

        public Task ApplyAsync(LlamaSwapConfig config, CancellationToken cancellationToken)
        {
            Applied.Add(config);
            return Task.CompletedTask;
        }
    }

    private sealed class ThrowingTarget : IConfigReloadTarget
    {
        public Task ApplyAsync(LlamaSwapConfig config, CancellationToken cancellationToken)
            => throw new InvalidOperationException("the scheduler is gone");
    }
}
