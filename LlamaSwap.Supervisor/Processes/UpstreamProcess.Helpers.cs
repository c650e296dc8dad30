using System.Globalization;
using System.Text;

namespace LlamaSwap.Supervisor.Processes;

internal sealed partial class UpstreamProcess
{
    /// <summary>
    /// Finds the program as execvp(3) would, so a missing binary is reported as a start failure
    /// (setsid would otherwise start fine and then exit 127). Go's exec error texts, as llama-swap shows them.
    /// </summary>
    internal static string ResolveProgram(string name, string? searchPath)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutableFile(name)
                ? name
                : throw new UpstreamStartException(File.Exists(name)
                    ? $"fork/exec {name}: permission denied"
                    : $"fork/exec {name}: no such file or directory");
        }

        foreach (var directory in (searchPath ?? "").Split(':'))
        {
            // An empty PATH element means the current directory.
            var candidate = Path.Combine(directory.Length == 0 ? "." : directory, name);
            if (IsExecutableFile(candidate))
            {
                return candidate;
            }
        }

        throw new UpstreamStartException($"exec: \"{name}\": executable file not found in $PATH");
    }

    private static bool IsExecutableFile(string path)
    {
        try
        {
            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            // Linux only in practice; the guard keeps the platform analyzer satisfied.
            return File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & anyExecute) != 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>argv as one line for messages; words with spaces or quotes are single-quoted.</summary>
    internal static string FormatCommand(IEnumerable<string> argv) =>
        string.Join(' ', argv.Select(word =>
            word.Length > 0 && !word.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"')
                ? word
                : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    /// <summary><paramref name="proxy"/> with <paramref name="checkEndpoint"/> appended to its path (one slash between).</summary>
    internal static Uri HealthUrl(Uri proxy, string checkEndpoint)
    {
        var basePath = proxy.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(basePath + "/" + checkEndpoint.TrimStart('/'));
    }

    /// <summary>Formats like Go's <c>time.Duration.String()</c>: <c>2m0s</c>, <c>15s</c>, <c>1m30s</c>, <c>1h0m0s</c>, <c>1.5s</c>, <c>500ms</c>.</summary>
    internal static string FormatGoDuration(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration < TimeSpan.Zero)
        {
            return "-" + FormatGoDuration(duration.Negate());
        }

        var invariant = CultureInfo.InvariantCulture;
        if (duration < TimeSpan.FromSeconds(1))
        {
            // TimeSpan resolves 100 ns; Go would print ns below 1 µs, which cannot occur here.
            return duration < TimeSpan.FromMilliseconds(1)
                ? (duration.Ticks / 10.0).ToString("0.#", invariant) + "µs"
                : (duration.Ticks / (double)TimeSpan.TicksPerMillisecond).ToString("0.####", invariant) + "ms";
        }

        var builder = new StringBuilder();
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            builder.Append(hours.ToString(invariant)).Append('h');
        }

        if (hours > 0 || duration.Minutes > 0)
        {
            builder.Append(duration.Minutes.ToString(invariant)).Append('m');
        }

        var seconds = (duration.Ticks % TimeSpan.TicksPerMinute) / (decimal)TimeSpan.TicksPerSecond;
        builder.Append(seconds.ToString("0.#######", invariant)).Append('s');
        return builder.ToString();
    }
}
