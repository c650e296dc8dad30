using System.Collections.Concurrent;
using System.Text;
using LlamaSwap.Core.Configuration;
using LlamaSwap.Core.Logs;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>Which pipe a line of upstream output came from (<see cref="StopCommand"/>: output of cmdStop).</summary>
internal enum UpstreamStream
{
    StdOut,
    StdErr,
    StopCommand,
}

/// <summary>One line of upstream output as published to subscribers.</summary>
internal readonly record struct UpstreamOutputLine(string ModelId, UpstreamStream Stream, string Text, DateTimeOffset Time);

/// <summary>
/// Output of every upstream, per model: the last <see cref="MaxHistoryChars"/> characters kept for
/// late readers (llama-swap's <c>/logs/stream/&lt;model&gt;</c> history) plus a live line event.
/// Singleton; lines of one model stay in order, different models interleave freely.
/// Lines reach the console at Information when <c>logToStdout</c> is <c>upstream</c> or <c>both</c>
/// (read at start-up: llama-swap needs a restart for it too), else at Debug.
/// </summary>
internal sealed partial class UpstreamOutput(ILogger<UpstreamOutput> logger, TimeProvider timeProvider, LlamaSwapConfig? config = null)
{
    /// <summary>History kept per model (100 KiB of text, counted in UTF-16 chars).</summary>
    public const int MaxHistoryChars = 100 * 1024;

    private readonly ConcurrentDictionary<string, History> _histories = new(StringComparer.Ordinal);
    private readonly LogMonitor _combined = new();
    private readonly bool _toStdout = config?.LogToStdout is "upstream" or "both";

    /// <summary>Raised synchronously for every line, after it is in the history; handlers must be quick and must not throw.</summary>
    public event Action<UpstreamOutputLine>? LineWritten;

    /// <summary>Models that have produced output since start-up.</summary>
    public IReadOnlyCollection<string> ModelIds => [.. _histories.Keys];

    public void Append(string modelId, UpstreamStream stream, string text)
    {
        var line = new UpstreamOutputLine(modelId, stream, text, timeProvider.GetUtcNow());
        _histories.GetOrAdd(modelId, static _ => new History()).Add(text);
        _combined.Write(text + "\n");
        if (_toStdout)
        {
            Log.OutputLineToStdout(logger, modelId, stream, text);
        }
        else
        {
            Log.OutputLine(logger, modelId, stream, text);
        }

        LineWritten?.Invoke(line);
    }

    /// <summary>Every model's output interleaved as it arrived: the newest <see cref="LogMonitor.HistoryCapacity"/> bytes, UTF-8.</summary>
    public byte[] GetCombinedHistory() => _combined.GetHistory();

    /// <summary>The retained output of <paramref name="modelId"/>, lines joined with <c>\n</c> (ending with one); empty when none.</summary>
    public string GetHistory(string modelId) =>
        _histories.TryGetValue(modelId, out var history) ? history.Snapshot() : "";

    /// <summary>A bounded queue of lines; the oldest go first, and a single over-long line keeps its tail.</summary>
    private sealed class History
    {
        private readonly Lock _lock = new();
        private readonly Queue<string> _lines = new();
        private int _chars;

        public void Add(string text)
        {
            if (text.Length + 1 > MaxHistoryChars)
            {
                text = text[^(MaxHistoryChars - 1)..];
            }

            lock (_lock)
            {
                _lines.Enqueue(text);
                _chars += text.Length + 1;
                while (_chars > MaxHistoryChars)
                {
                    _chars -= _lines.Dequeue().Length + 1;
                }
            }
        }

        public string Snapshot()
        {
            lock (_lock)
            {
                var builder = new StringBuilder(_chars);
                foreach (var line in _lines)
                {
                    builder.Append(line).Append('\n');
                }

                return builder.ToString();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1150, Level = LogLevel.Debug, Message = "[{ModelId}] {Stream}: {Text}")]
        public static partial void OutputLine(ILogger logger, string modelId, UpstreamStream stream, string text);

        [LoggerMessage(EventId = 1151, Level = LogLevel.Information, Message = "[{ModelId}] {Stream}: {Text}")]
        public static partial void OutputLineToStdout(ILogger logger, string modelId, UpstreamStream stream, string text);
    }
}
