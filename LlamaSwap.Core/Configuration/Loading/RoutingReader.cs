using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// Reads <c>routing.scheduler</c> (reference 1.7); <c>routing.router</c> is read by <see cref="RouterReader"/>.
/// </summary>
internal static class RoutingReader
{
    private const string Path = "routing";

    public static SchedulerConfig Read(ConfigNode? routingNode, LlamaSwapConfig config, ValueReader values)
    {
        var scheduler = new SchedulerConfig();
        var routing = values.Mapping(routingNode, Path);
        if (routing is null)
        {
            return scheduler;
        }

        KnownKeys.WarnAboutIgnoredKeys(routing, Path, KnownKeys.Routing, values.Diagnostics);
        var schedulerPath = ConfigPath.Child(Path, "scheduler");
        var schedulerNode = values.Mapping(routing["scheduler"], schedulerPath);
        if (schedulerNode is null)
        {
            return scheduler;
        }

        KnownKeys.WarnAboutIgnoredKeys(schedulerNode, schedulerPath, KnownKeys.Scheduler, values.Diagnostics);
        var use = values.String(schedulerNode["use"], ConfigPath.Child(schedulerPath, "use"))?.Trim();
        if (use is not null && use != "fifo")
        {
            values.Diagnostics.Error(ConfigPath.Child(schedulerPath, "use"), $"unknown scheduler '{use}': the only scheduler is fifo");
        }

        var settingsPath = ConfigPath.Child(schedulerPath, "settings");
        var settings = values.Mapping(schedulerNode["settings"], settingsPath);
        var fifoPath = ConfigPath.Child(settingsPath, "fifo");
        var fifo = settings is null ? null : values.Mapping(settings["fifo"], fifoPath);
        if (settings is not null)
        {
            KnownKeys.WarnAboutIgnoredKeys(settings, settingsPath, KnownKeys.SchedulerSettings, values.Diagnostics);
        }

        if (fifo is null)
        {
            return scheduler;
        }

        KnownKeys.WarnAboutIgnoredKeys(fifo, fifoPath, KnownKeys.Fifo, values.Diagnostics);
        return new SchedulerConfig
        {
            Priority = ReadPriority(fifo["priority"], ConfigPath.Child(fifoPath, "priority"), config, values),
            MaxWaitSeconds = NonNegative(fifo["maxWait"], ConfigPath.Child(fifoPath, "maxWait"), values),
            MinLoadedSeconds = NonNegative(fifo["minLoaded"], ConfigPath.Child(fifoPath, "minLoaded"), values),
        };
    }

    private static Dictionary<string, int> ReadPriority(ConfigNode? node, string path, LlamaSwapConfig config, ValueReader values)
    {
        var priority = new Dictionary<string, int>(StringComparer.Ordinal);
        var mapping = values.Mapping(node, path);
        if (mapping is null)
        {
            return priority;
        }

        foreach (var entry in mapping.Entries)
        {
            var entryPath = ConfigPath.Child(path, entry.Key);
            var value = values.Int(entry.Value, entryPath);
            var id = config.ResolveModelId(entry.Key);
            if (id is null)
            {
                // llama-swap refuses these, but its own example config prioritises models it does
                // not define; like an unknown preload name, it is dropped with a warning.
                values.Diagnostics.Warning(entryPath, $"unknown model '{entry.Key}' (ignored)");
            }
            else if (value is { } p)
            {
                priority[id] = p;
            }
        }

        return priority;
    }

    private static int NonNegative(ConfigNode? node, string path, ValueReader values)
    {
        var value = values.Int(node, path) ?? 0;
        if (value < 0)
        {
            values.Diagnostics.Error(path, $"must be >= 0 seconds, got {value}");
            return 0;
        }

        return value;
    }
}
