using System.Text.Json;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Gateway.Events;
using LlamaSwap.Gateway.Loading;
using LlamaSwap.Gateway.Models;

namespace LlamaSwap.Tests.Gateway.Loading;

/// <summary>How a load estimate reads in a loading stream, in modelStatus and in <c>/running</c>.</summary>
public sealed class LoadingStreamProgressTests
{
    private static LoadProgress Progress(long bytes, long total, long? etaMs) => new()
    {
        Fraction = (double)bytes / total,
        Bytes = bytes,
        TotalBytes = total,
        EtaMs = etaMs,
        Source = LoadProgressSources.ProcIo,
    };

    [Theory]
    [InlineData(120_000_000, 286_000_000, 3_200L, "loading m: 41% (120 MB of 286 MB, ~4 s left)")]
    [InlineData(2_500_000_000, 14_000_000_000, 300_000L, "loading m: 17% (2.5 GB of 14.0 GB, ~5 min left)")]
    [InlineData(1_500_000, 9_200_000, null, "loading m: 16% (1.5 MB of 9.2 MB)")]
    [InlineData(635_000_000, 635_000_000, 0L, "loading m: 100% (635 MB of 635 MB)")]
    public void FormatProgress_ShowsPercentSizesAndEta(long bytes, long total, long? etaMs, string expected)
        => Assert.Equal(expected, LoadingStream.FormatProgress("m", Progress(bytes, total, etaMs)));

    [Fact]
    public void ModelStatusEntry_CarriesProgressOnlyWhileStarting()
    {
        var config = new LlamaSwapConfig
        {
            Models = new SortedDictionary<string, ModelConfig>(StringComparer.Ordinal)
            {
                ["a"] = new() { Id = "a", CmdText = "x", Command = ["x"], Proxy = new Uri("http://127.0.0.1:1") },
                ["b"] = new() { Id = "b", CmdText = "x", Command = ["x"], Proxy = new Uri("http://127.0.0.1:2") },
            },
        };
        var states = new Dictionary<string, ModelStateRecord>
        {
            ["a"] = Record("a", ModelStates.Starting, Progress(50, 100, 1_000)),

            // A stale estimate on a record that is no longer starting is never shown.
            ["b"] = Record("b", ModelStates.Ready, Progress(100, 100, 0)),
        };

        var json = JsonSerializer.Serialize(ModelStatusEntry.Build(config, states));
        var entries = JsonDocument.Parse(json).RootElement;

        var progress = entries[0].GetProperty("progress");
        Assert.Equal("""{"fraction":0.5,"bytes":50,"total_bytes":100,"eta_ms":1000,"source":"proc-io"}""", progress.GetRawText());
        Assert.False(entries[1].TryGetProperty("progress", out _));

        var running = JsonDocument.Parse(JsonSerializer.Serialize(RunningModels.Build(states.Values))).RootElement.GetProperty("running");
        Assert.Equal(0.5, running[0].GetProperty("progress").GetProperty("fraction").GetDouble());
        Assert.False(running[1].TryGetProperty("progress", out _));
    }

    private static ModelStateRecord Record(string model, string state, LoadProgress progress)
        => new() { Model = model, State = state, Proxy = "http://127.0.0.1:1", Cmd = "x", Progress = progress };
}
