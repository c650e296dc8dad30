using System.Globalization;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Go's <c>time.ParseDuration</c> subset used by llama-swap configs: <c>90s</c>, <c>1h30m</c>, <c>500ms</c>, <c>1.5h</c>.</summary>
internal static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", TimeSpan.TicksPerMicrosecond), ("µs", TimeSpan.TicksPerMicrosecond),
        ("ms", TimeSpan.TicksPerMillisecond), ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute),
        ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.Trim();
        if (s == "0")
        {
            return true;
        }

        if (s.Length == 0)
        {
            return false;
        }

        var negative = s[0] == '-';
        if (s[0] is '-' or '+')
        {
            s = s[1..];
        }

        double ticks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unit = Units.Where(u => s.AsSpan(i).StartsWith(u.Unit, StringComparison.Ordinal))
                .OrderByDescending(u => u.Unit.Length)
                .FirstOrDefault();
            if (unit.Unit is null)
            {
                return false;
            }

            ticks += number * unit.Ticks;
            i += unit.Unit.Length;
        }

        duration = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }
}
