using System.Globalization;

namespace LlamaSwap.Cli.Download;

/// <summary>The text of a progress line: pure, so what a person reads is unit-tested.</summary>
internal static class ProgressFormat
{
    private const int BarWidth = 20;
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary>
    /// <c>name  [#####-----]  41.2%  24.3 GiB / 59.0 GiB  112.4 MiB/s  ETA 5m12s</c>; the bar only when
    /// <paramref name="bar"/>; the name is shortened so the line fits <paramref name="width"/> when given.
    /// </summary>
    public static string Line(string name, long done, long total, double? bytesPerSecond, bool bar, int? width = null)
    {
        var fraction = total > 0 ? Math.Clamp((double)done / total, 0, 1) : 1;
        var eta = Eta(total - done, bytesPerSecond);
        var tail = string.Create(CultureInfo.InvariantCulture,
            $"{(bar ? "  [" + Bar(fraction) + "]" : "")}  {fraction * 100,5:0.0}%  {Bytes(done)} / {Bytes(total)}  {Speed(bytesPerSecond)}  ETA {eta}");
        return Fit(name, tail, width);
    }

    /// <summary>The closing line of a file: <c>name  100.0%  59.0 GiB  in 8m12s (120.3 MiB/s)</c>.</summary>
    public static string Done(string name, long total, TimeSpan elapsed, long transferred)
    {
        var rate = elapsed > TimeSpan.Zero ? transferred / elapsed.TotalSeconds : (double?)null;
        return string.Create(CultureInfo.InvariantCulture, $"{name}  100.0%  {Bytes(total)}  in {Duration(elapsed)} ({Speed(rate)})");
    }

    public static string Bytes(long bytes)
    {
        if (bytes < 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }

        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }

    public static string Speed(double? bytesPerSecond)
        => bytesPerSecond is { } rate && double.IsFinite(rate) ? Bytes((long)rate) + "/s" : "--/s";

    public static string Duration(TimeSpan span)
    {
        var seconds = (long)Math.Round(span.TotalSeconds, MidpointRounding.AwayFromZero);
        return seconds switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds}s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m{seconds % 60:00}s"),
            < 100 * 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h{seconds % 3600 / 60:00}m"),
            _ => ">99h",
        };
    }

    private static string Eta(long remaining, double? bytesPerSecond)
    {
        if (remaining <= 0)
        {
            return "0s";
        }

        return bytesPerSecond is { } rate && rate > 0 && double.IsFinite(rate)
            ? Duration(TimeSpan.FromSeconds(Math.Min(remaining / rate, 360_000)))
            : "--";
    }

    private static string Bar(double fraction)
    {
        var filled = (int)Math.Round(fraction * BarWidth);
        return new string('#', filled) + new string('-', BarWidth - filled);
    }

    // A line longer than the terminal wraps, and a carriage return then redraws only its last row.
    private static string Fit(string name, string tail, int? width)
    {
        if (width is not { } columns || name.Length + tail.Length < columns)
        {
            return name + tail;
        }

        var room = columns - 1 - tail.Length;
        return room switch
        {
            >= 8 => "..." + name[^(room - 3)..] + tail,
            _ => (name + tail)[..Math.Max(columns - 1, 0)],
        };
    }
}
