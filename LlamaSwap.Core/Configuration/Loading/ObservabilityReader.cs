using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Reads <c>metricsMaxInMemory</c>, <c>captureBuffer</c>, <c>ui</c>, <c>performance</c> and <c>store</c> (reference 1.3).</summary>
internal static class ObservabilityReader
{
    private static readonly TimeSpan MinPerformanceEvery = TimeSpan.FromSeconds(5);

    public static ObservabilityConfig Read(MappingNode top, ValueReader values)
    {
        var defaults = new ObservabilityConfig();
        var maxInMemory = values.Int(top["metricsMaxInMemory"], "metricsMaxInMemory") ?? defaults.MetricsMaxInMemory;

        var captureBuffer = values.Int(top["captureBuffer"], "captureBuffer") ?? defaults.CaptureBufferMegabytes;
        if (captureBuffer < 0)
        {
            values.Diagnostics.Error("captureBuffer", $"captureBuffer must be >= 0 (megabytes, 0 disables captures), got {captureBuffer}");
            captureBuffer = defaults.CaptureBufferMegabytes;
        }

        var performance = ReadPerformance(top, values, defaults);
        return defaults with
        {
            MetricsMaxInMemory = maxInMemory <= 0 ? ObservabilityConfig.DefaultMetricsMaxInMemory : maxInMemory,
            CaptureBufferMegabytes = captureBuffer,
            SessionIdHeaders = ReadSessionIdHeaders(top, values) ?? defaults.SessionIdHeaders,
            PerformanceDisabled = performance.Disabled,
            PerformanceEvery = performance.Every,
            StorePath = ReadStorePath(top, values),
        };
    }

    /// <summary>
    /// <c>store.path</c>: absent (or no <c>store</c>) keeps activity in memory; an empty string is an
    /// error, as in llama-swap. Whether the file can be opened is the gateway's check (it owns the store).
    /// </summary>
    private static string? ReadStorePath(MappingNode top, ValueReader values)
    {
        if (values.Mapping(top["store"], "store") is not { } store)
        {
            return null;
        }

        KnownKeys.WarnAboutIgnoredKeys(store, "store", KnownKeys.Store, values.Diagnostics);
        var node = store["path"];
        if (values.String(node, "store.path") is not { } path)
        {
            return null;
        }

        if (path.Trim().Length == 0)
        {
            values.Diagnostics.Error("store.path", $"store.path at {node!.Span.Describe()} is empty: remove it to keep activity in memory, or name a SQLite file");
            return null;
        }

        return path;
    }

    private static List<string>? ReadSessionIdHeaders(MappingNode top, ValueReader values)
    {
        if (values.Mapping(top["ui"], "ui") is not { } ui)
        {
            return null;
        }

        KnownKeys.WarnAboutIgnoredKeys(ui, "ui", KnownKeys.Ui, values.Diagnostics);
        if (values.Mapping(ui["activity"], "ui.activity") is not { } activity)
        {
            return null;
        }

        KnownKeys.WarnAboutIgnoredKeys(activity, "ui.activity", KnownKeys.UiActivity, values.Diagnostics);
        if (values.StringList(activity["session_id"], "ui.activity.session_id") is not { } names)
        {
            return null;
        }

        // Trimmed and case-insensitively de-duplicated, first spelling wins; [] disables the column.
        var headers = new List<string>();
        foreach (var name in names)
        {
            var trimmed = name?.Trim();
            if (!string.IsNullOrEmpty(trimmed) && !headers.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
            {
                headers.Add(trimmed);
            }
        }

        return headers;
    }

    private static (bool Disabled, TimeSpan Every) ReadPerformance(MappingNode top, ValueReader values, ObservabilityConfig defaults)
    {
        if (values.Mapping(top["performance"], "performance") is not { } performance)
        {
            return (defaults.PerformanceDisabled, defaults.PerformanceEvery);
        }

        KnownKeys.WarnAboutIgnoredKeys(performance, "performance", KnownKeys.Performance, values.Diagnostics);
        var disabled = values.Bool(performance["disabled"], "performance.disabled") ?? false;
        var every = defaults.PerformanceEvery;
        if (values.String(performance["every"], "performance.every") is { } text)
        {
            if (!GoDuration.TryParse(text, out every))
            {
                values.Diagnostics.Error("performance.every", $"invalid duration \"{text}\" (expected e.g. 5s, 1m, 1h30m)");
                every = defaults.PerformanceEvery;
            }
            else if (every < MinPerformanceEvery)
            {
                values.Diagnostics.Error("performance.every", "performance: every must be at least 5s");
                every = defaults.PerformanceEvery;
            }
        }

        return (disabled, every);
    }
}
