using System.Globalization;

namespace LlamaSwap.TestUpstream;

/// <summary>Command line of the test upstream; flags are <c>--name value</c> (parsed by hand to keep start-up cheap).</summary>
internal sealed record UpstreamOptions
{
    public required int Port { get; init; }
    public string Model { get; init; } = "test-model";
    /// <summary>The answer text; with <c>--respond-unescape</c> each <c>\n</c> in it is a line break (multi-line markdown through a one-line cmd).</summary>
    public string Respond { get; init; } = "hi";
    public TimeSpan StartupDelay { get; init; }
    public bool IgnoreSigterm { get; init; }

    /// <summary>Answers the Anthropic routes with 404, like a server that only speaks the OpenAI API.</summary>
    public bool OpenAiOnly { get; init; }
    /// <summary>Chat answers carry llama.cpp-style <c>timings</c> (plain, and in the last SSE chunk); see <see cref="Timings"/>.</summary>
    public bool Timings { get; init; }

    /// <summary>Plain JSON answers are gzip-compressed when the request accepts gzip.</summary>
    public bool Gzip { get; init; }

    /// <summary>
    /// cpp-httplib's way (llama-server before 2026, whisper.cpp, stable-diffusion.cpp): no TCP_NODELAY,
    /// and a plain answer written as two sends, headers then body. On a kept-alive connection the
    /// body then waits in Nagle's algorithm for the client's (delayed) ACK of the headers.
    /// </summary>
    public bool SplitWrites { get; init; }

    /// <summary>Lines written to stderr at start, before anything else (<c>--stderr-line</c>, repeatable): what a crashing server says last.</summary>
    public IReadOnlyList<string> StderrLines { get; init; } = [];

    /// <summary>
    /// Exit with this code right after <see cref="StderrLines"/> (once <see cref="StartupDelay"/> has
    /// passed), never listening: a server failing to load.
    /// </summary>
    public int? ExitAtStart { get; init; }

    /// <summary>As <see cref="ExitAtStart"/>, but SIGKILL itself: a server the OOM killer ends.</summary>
    public bool SigkillAtStart { get; init; }

    /// <summary>Exit with this code at the first request other than <c>/health</c>, without answering it (a crash mid-request).</summary>
    public int? ExitOnRequest { get; init; }

    /// <summary>Lines written to stdout at start in bold green (ANSI) (<c>--colored-line</c>, repeatable): what coloured server output looks like in the logs.</summary>
    public IReadOnlyList<string> ColoredLines { get; init; } = [];

    public int Chunks { get; init; } = 5;
    public TimeSpan ChunkDelay { get; init; }
    public string? RecordFile { get; init; }
    public string? EventsFile { get; init; }

    /// <exception cref="ArgumentException">An unknown flag, a missing value or a missing <c>--port</c>.</exception>
    public static UpstreamOptions Parse(IReadOnlyList<string> args)
    {
        int? port = null;
        var unescape = false;
        var options = new UpstreamOptions { Port = 0 };
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag == "--ignore-sigterm")
            {
                options = options with { IgnoreSigterm = true };
                continue;
            }

            if (flag == "--openai-only")
            {
                options = options with { OpenAiOnly = true };
                continue;
            }

            if (flag == "--timings")
            {
                options = options with { Timings = true };
                continue;
            }

            if (flag == "--gzip")
            {
                options = options with { Gzip = true };
                continue;
            }

            if (flag == "--split-writes")
            {
                options = options with { SplitWrites = true };
                continue;
            }

            if (flag == "--respond-unescape")
            {
                unescape = true;
                continue;
            }

            if (flag == "--sigkill-at-start")
            {
                options = options with { SigkillAtStart = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"flag {flag} needs a value");
            }

            var value = args[++i];
            options = flag switch
            {
                "--port" => options with { Port = (port = ParseInt(flag, value, min: 1)).Value },
                "--model" => options with { Model = value },
                "--respond" => options with { Respond = value },
                "--startup-delay-ms" => options with { StartupDelay = TimeSpan.FromMilliseconds(ParseInt(flag, value, min: 0)) },
                "--chunks" => options with { Chunks = ParseInt(flag, value, min: 1) },
                "--chunk-delay-ms" => options with { ChunkDelay = TimeSpan.FromMilliseconds(ParseInt(flag, value, min: 0)) },
                "--record-file" => options with { RecordFile = value },
                "--events-file" => options with { EventsFile = value },
                "--stderr-line" => options with { StderrLines = [.. options.StderrLines, value] },
                "--colored-line" => options with { ColoredLines = [.. options.ColoredLines, value] },
                "--exit-at-start" => options with { ExitAtStart = ParseInt(flag, value, min: 0) },
                "--exit-on-request" => options with { ExitOnRequest = ParseInt(flag, value, min: 0) },
                _ => throw new ArgumentException($"unknown flag {flag}"),
            };
        }

        if (unescape)
        {
            options = options with { Respond = options.Respond.Replace("\\n", "\n", StringComparison.Ordinal) };
        }

        return port is null ? throw new ArgumentException("--port is required") : options;
    }

    private static int ParseInt(string flag, string value, int min) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new ArgumentException($"flag {flag} needs an integer >= {min}, got '{value}'");
}
