using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlamaSwap.TestUpstream;

/// <summary>
/// Appends one JSON object per line and hands every line to the OS at once (no user-space buffer),
/// so a test can read the file while the process runs and after it was SIGKILLed.
/// </summary>
internal sealed class JsonLinesFile : IDisposable
{
    /// <summary>Readable output (<c>"</c> rather than <c>\u0022</c>): these files and bodies are read by people and tests, never embedded in HTML.</summary>
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _lock = new();
    private readonly FileStream _stream;

    public JsonLinesFile(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        // bufferSize 0: every Write is a write(2). Share with other processes so several upstreams
        // (or a reading test) can open the same file.
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
    }

    /// <summary>UTC timestamp with microseconds, e.g. <c>2025-01-02T03:04:05.123456Z</c>.</summary>
    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public void Write(JsonObject line)
    {
        var bytes = Encoding.UTF8.GetBytes(line.ToJsonString(Relaxed) + "\n");
        lock (_lock)
        {
            // .NET does not open FileMode.Append with O_APPEND; re-seek so lines from other processes
            // sharing the file are not overwritten.
            _stream.Seek(0, SeekOrigin.End);
            _stream.Write(bytes);
        }
    }

    public void Dispose() => _stream.Dispose();
}
