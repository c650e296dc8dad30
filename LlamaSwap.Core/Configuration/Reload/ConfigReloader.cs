using System.Runtime.InteropServices;
using LlamaSwap.Core.Configuration.Reporting;
using LlamaSwap.Core.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.Core.Configuration.Reload;

/// <summary>
/// Reloads the config file(s) on SIGHUP, and every 2 s when one changed if <c>LLAMASWAP_WATCH_CONFIG=1</c>
/// (the AppHost's <c>--watch-config</c>), like llama-swap's <c>-watch-config</c>. A file that fails
/// validation is refused and the running config stays in force: a <see cref="ConfigDiagnosticsRole.Reporter"/>
/// lists every error and warning, a quiet service only says that it refused the file.
/// </summary>
public sealed partial class ConfigReloader(
    IConfiguration configuration,
    IEnumerable<IConfigReloadTarget> targets,
    TimeProvider time,
    ILogger<ConfigReloader> logger,
    ConfigDiagnosticsRole role = ConfigDiagnosticsRole.Reporter) : IHostedService, IDisposable
{
    public const string WatchSwitch = "LLAMASWAP_WATCH_CONFIG";

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _reloading = new(1, 1);
    private ConfigLocation? _location;
    private string? _seen;
    private ITimer? _timer;
    private PosixSignalRegistration? _hangup;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _location = ConfigLocation.From(configuration);
        if (_location is null)
        {
            return Task.CompletedTask;
        }

        _seen = _location.Stamp();
        _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            // SIGHUP would otherwise end the process.
            context.Cancel = true;
            _ = ReloadAsync("SIGHUP");
        });
        if (configuration[WatchSwitch] == "1")
        {
            _timer = time.CreateTimer(_ => _ = PollAsync(), null, PollInterval, PollInterval);
            Log.Watching(logger, _location.ToString());
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _hangup?.Dispose();
    }

    /// <summary>
    /// Loads the file and hands it to every target; returns false (and logs why) when it was refused
    /// or failed. Never throws: SIGHUP and the watch timer start it without awaiting it, so an
    /// exception would end up unobserved and the refusal unlogged.
    /// </summary>
    public async Task<bool> ReloadAsync(string reason)
    {
        if (_location is null)
        {
            return false;
        }

        await _reloading.WaitAsync().ConfigureAwait(false);
        try
        {
            _seen = _location.Stamp();
            var loaded = _location.Load();
            var reports = role == ConfigDiagnosticsRole.Reporter;
            foreach (var warning in reports ? loaded.Warnings : [])
            {
                Log.Warning(logger, warning.ToString());
            }

            if (!loaded.Succeeded)
            {
                if (reports)
                {
                    // One entry with every error, so nobody reads the verdict without its reasons.
                    var errors = string.Concat(loaded.Errors.Select(e => Environment.NewLine + "  " + e));
                    Log.Refused(logger, _location.ToString(), reason, loaded.Errors.Count, errors);
                }
                else
                {
                    Log.RefusedListedBySupervisor(logger, _location.ToString(), reason, loaded.Errors.Count);
                }

                return false;
            }

            foreach (var target in targets)
            {
                await target.ApplyAsync(loaded.Config!, CancellationToken.None).ConfigureAwait(false);
            }

            Log.Reloaded(logger, _location.ToString(), reason);
            return true;
        }
        catch (Exception e)
        {
            Log.Failed(logger, _location.ToString(), reason, e);
            return false;
        }
        finally
        {
            _reloading.Release();
        }
    }

    private async Task PollAsync()
    {
        // The stamp covers every source file, so a file added to or removed from the directory counts too.
        if (_location is not null && _location.Stamp() != _seen)
        {
            await ReloadAsync("file changed").ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 80, Level = LogLevel.Information, Message = "Watching {Path} for changes (every 2 s)")]
        public static partial void Watching(ILogger logger, string path);

        [LoggerMessage(EventId = 81, Level = LogLevel.Information, Message = "Reloaded {Path} ({Reason})")]
        public static partial void Reloaded(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 82, Level = LogLevel.Error, Message = "Refused to reload {Path} ({Reason}): {Count} error(s); the running config stays in force:{Errors}")]
        public static partial void Refused(ILogger logger, string path, string reason, int count, string errors);

        [LoggerMessage(EventId = 84, Level = LogLevel.Warning, Message = "config warning: {Warning}")]
        public static partial void Warning(ILogger logger, string warning);

        [LoggerMessage(EventId = 86, Level = LogLevel.Error, Message = "Refused to reload {Path} ({Reason}): {Count} error(s), listed by the supervisor; the running config stays in force")]
        public static partial void RefusedListedBySupervisor(ILogger logger, string path, string reason, int count);

        // 83 is retired (it was one entry per config error, before they were logged together).
        [LoggerMessage(EventId = 85, Level = LogLevel.Error, Message = "Reload of {Path} ({Reason}) failed; targets not yet given the new config keep the running one")]
        public static partial void Failed(ILogger logger, string path, string reason, Exception exception);
    }
}
