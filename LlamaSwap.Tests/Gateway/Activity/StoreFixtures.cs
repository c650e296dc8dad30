using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.Activity;
using LlamaSwap.Gateway.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Tests.Gateway.Activity;

/// <summary>Activity stores for tests: in memory, or on a file in a <see cref="TempStoreDirectory"/>.</summary>
internal static class StoreFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ConfigHolder Config(string? path = null, int maxInMemory = 100, int captureMb = 5)
        => new(new LlamaSwapConfig
        {
            Observability = new ObservabilityConfig { MetricsMaxInMemory = maxInMemory, CaptureBufferMegabytes = captureMb, StorePath = path },
        });

    public static ActivityStore Store(ConfigHolder config, int fileMaxRows = ActivityOptions.DefaultFileMaxRows)
        => new(config, Options.Create(new ActivityOptions { FileMaxRows = fileMaxRows }), NullLogger<ActivityStore>.Instance);

    public static ActivityStore InMemory(int maxRows = 100, int captureMb = 5) => Store(Config(maxInMemory: maxRows, captureMb: captureMb));

    /// <summary>A row as the recorder makes it (no id yet), numbered by <paramref name="n"/> for distinct values.</summary>
    public static ActivityEntry Row(long n, string? model = null) => new()
    {
        Timestamp = T0.AddMinutes(n),
        Model = model ?? (n % 2 == 0 ? "even" : "odd"),
        RequestPath = "/v1/chat/completions",
        ResponseContentType = "application/json",
        ResponseStatusCode = 200,
        Tokens = new ActivityTokens { InputTokens = 100 - n, OutputTokens = n * 10, TokensPerSecond = n },
        DurationMs = n * 3,
    };

    public static Capture Sized(int bytes) => new() { RequestPath = "/v1/chat/completions", RequestBody = new byte[bytes] };
}

/// <summary>A fresh directory under the temp directory, deleted with everything in it.</summary>
internal sealed class TempStoreDirectory : IDisposable
{
    public TempStoreDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"llamaswap-store-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name = "activity.db") => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
