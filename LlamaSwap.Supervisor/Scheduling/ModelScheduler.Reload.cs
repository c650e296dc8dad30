using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Supervisor.Scheduling;

// Reload without collateral damage: only removed models and models whose process settings changed
// are stopped. Runs on the loop only.
internal sealed partial class ModelScheduler
{
    private void OnReconfigure(LlamaSwapConfig next, TaskCompletionSource<ReloadSummary> completion)
    {
        List<string> added = [], removed = [], restarted = [], kept = [];
        foreach (var model in _models.Values.ToArray())
        {
            if (!next.Models.TryGetValue(model.Id, out var config))
            {
                removed.Add(model.Id);
                model.Removed = true;
                FailWaitingFor(model.Id, "unspecific error: model removed from the configuration");
                BeginStop(model, TimeSpan.FromSeconds(model.Config.UnloadTimeoutSeconds));
                ForgetIfRemovedAndStopped(model);
                continue;
            }

            var restart = model.IsRunning && ProcessSettings.Differ(model.Config, config);
            var grace = TimeSpan.FromSeconds(model.Config.UnloadTimeoutSeconds);
            model.Config = config;
            model.Group = next.GroupOf(model.Id);
            if (restart)
            {
                // Waiters and queued requests stay: the model starts again, with the new settings,
                // as soon as its old process has stopped.
                restarted.Add(model.Id);
                BeginStop(model, grace);
            }
            else
            {
                kept.Add(model.Id);
                Publish(model);
            }
        }

        foreach (var config in next.Models.Values.Where(m => !_models.ContainsKey(m.Id)))
        {
            added.Add(config.Id);
            var model = new ModelRuntime(config, next.GroupOf(config.Id)) { Since = _time.GetUtcNow() };
            _models.Add(config.Id, model);
            Publish(model);
        }

        Volatile.Write(ref _config, next);
        _planner = ISwapPlanner.For(next, _logger);
        var summary = new ReloadSummary(added, removed, restarted, kept);
        Log.Reconfigured(_logger, summary.ToString());
        completion.TrySetResult(summary);
        CompleteUnloads();
        Drain();
    }

    private void ForgetIfRemovedAndStopped(ModelRuntime model)
    {
        if (model.Removed && !model.IsRunning)
        {
            _models.Remove(model.Id);
            _snapshot.TryRemove(model.Id, out _);
        }
    }
}
