using System.Globalization;

namespace LlamaSwap.Cli.CommandLine;

/// <summary>
/// Flags as Go's <c>flag</c> package reads them, which is what llama-swap users type:
/// <c>-name value</c>, <c>--name value</c>, <c>-name=value</c>; a boolean flag takes no value
/// (<c>-watch-config</c>) unless written <c>-watch-config=false</c>. Anything that is not a flag is
/// an operand (a command word, a repository name).
/// </summary>
internal sealed class GoFlags
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private GoFlags(List<string> operands) => Operands = operands;

    public IReadOnlyList<string> Operands { get; }

    /// <param name="booleans">Flags that take no separate value.</param>
    /// <param name="withValue">Flags that take one.</param>
    /// <param name="repeatable">Value flags that may be given more than once (their values are joined by a newline).</param>
    public static GoFlags Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> booleans, IReadOnlyCollection<string> withValue, IReadOnlyCollection<string>? repeatable = null)
    {
        var operands = new List<string>();
        var flags = new GoFlags(operands);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                operands.AddRange(args.Skip(i + 1));
                break;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                operands.Add(arg);
                continue;
            }

            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (name is "h" or "help")
            {
                flags._values["help"] = "true";
                continue;
            }

            if (booleans.Contains(name))
            {
                flags.Set(name, value is null ? "true" : Boolean(name, value) ? "true" : "false", repeatable);
                continue;
            }

            if (!withValue.Contains(name))
            {
                throw new UsageException($"flag provided but not defined: -{name}");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"flag needs an argument: -{name}");
                }

                value = args[++i];
            }

            flags.Set(name, value, repeatable);
        }

        return flags;
    }

    public bool Help => _values.ContainsKey("help");

    public string? Value(string name) => _values.GetValueOrDefault(name);

    public IReadOnlyList<string> Values(string name)
        => _values.TryGetValue(name, out var joined) ? joined.Split('\n') : [];

    /// <summary>A boolean flag: null when not given.</summary>
    public bool? Switch(string name) => _values.TryGetValue(name, out var value) ? value == "true" : null;

    public int? Port(string name)
    {
        if (Value(name) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw new UsageException($"-{name} must be a port number (1-65535), got '{text}'");
    }

    private void Set(string name, string value, IReadOnlyCollection<string>? repeatable)
    {
        if (_values.TryGetValue(name, out var existing))
        {
            if (repeatable?.Contains(name) != true)
            {
                throw new UsageException($"flag given twice: -{name}");
            }

            value = existing + "\n" + value;
        }

        _values[name] = value;
    }

    /// <summary>The spellings Go's <c>strconv.ParseBool</c> accepts.</summary>
    private static bool Boolean(string name, string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw new UsageException($"invalid boolean value \"{value}\" for -{name}"),
    };
}
