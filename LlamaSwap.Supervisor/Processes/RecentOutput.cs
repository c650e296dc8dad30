namespace LlamaSwap.Supervisor.Processes;

/// <summary>
/// The newest lines one upstream run wrote, bounded in lines and characters, to quote when it dies:
/// enough for llama-server's failure (its last line or two) and small enough for an error body.
/// Thread-safe: stdout and stderr are pumped concurrently.
/// </summary>
internal sealed class RecentOutput
{
    /// <summary>Lines kept.</summary>
    public const int MaxLines = 10;

    /// <summary>Characters kept over all lines (about 2 KB of ASCII).</summary>
    public const int MaxChars = 2048;

    private const string Cut = "…";

    private readonly Lock _lock = new();
    private readonly Queue<string> _lines = new();
    private int _chars;

    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            // Blank lines say nothing and would crowd out the ones that do.
            return;
        }

        if (line.Length > MaxChars)
        {
            // The end of an over-long line is where a failure is usually stated.
            line = Cut + line[^(MaxChars - Cut.Length)..];
        }

        lock (_lock)
        {
            _lines.Enqueue(line);
            _chars += line.Length;
            while (_lines.Count > MaxLines || _chars > MaxChars)
            {
                _chars -= _lines.Dequeue().Length;
            }
        }
    }

    /// <summary>The kept lines, oldest first.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        lock (_lock)
        {
            return [.. _lines];
        }
    }
}
