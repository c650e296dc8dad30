using System.Text;

namespace LlamaSwap.Tests.Configuration.Yaml;

/// <summary>A generated config file: what it is (for the failure message) and its bytes.</summary>
internal sealed record HostileDocument(string Name, byte[] Bytes)
{
    public override string ToString() => Name;
}

/// <summary>
/// Malformed and hostile config files, all derived reproducibly from one real config and a seed:
/// every truncation, random edits with YAML indicators, and the classic extremes (deep nesting,
/// alias and macro bombs, very long lines, invalid UTF-8, byte order marks).
/// </summary>
internal static class HostileYamlCorpus
{
    private const string Indicators = ":[]{}&*!|>'\"%@#-,?\t\n";

    /// <summary>Every prefix of <paramref name="config"/>, cut at each byte (so inside UTF-8 sequences too).</summary>
    public static IEnumerable<HostileDocument> Truncations(byte[] config)
    {
        for (var length = 0; length < config.Length; length++)
        {
            yield return new HostileDocument($"truncated to {length} bytes", config[..length]);
        }
    }

    /// <summary><paramref name="count"/> copies of <paramref name="config"/> with one to four random edits each.</summary>
    public static IEnumerable<HostileDocument> Mutations(byte[] config, int seed, int count)
    {
        var random = new Random(seed);
        for (var n = 0; n < count; n++)
        {
            var bytes = new List<byte>(config);
            var edits = new List<string>();
            for (var e = random.Next(1, 5); e > 0; e--)
            {
                var at = random.Next(bytes.Count);
                var indicator = (byte)Indicators[random.Next(Indicators.Length)];
                switch (random.Next(6))
                {
                    case 0:
                        bytes[at] = indicator;
                        edits.Add($"byte {at} := '{Printable(indicator)}'");
                        break;
                    case 1:
                        bytes.Insert(at, indicator);
                        edits.Add($"insert '{Printable(indicator)}' at {at}");
                        break;
                    case 2:
                        bytes.InsertRange(at, [indicator, (byte)' ']);
                        edits.Add($"insert '{Printable(indicator)} ' at {at}");
                        break;
                    case 3:
                        var length = Math.Min(random.Next(1, 40), bytes.Count - at);
                        bytes.RemoveRange(at, length);
                        edits.Add($"delete {length} bytes at {at}");
                        break;
                    case 4:
                        var raw = (byte)random.Next(0x80, 0x100);
                        bytes.Insert(at, raw);
                        edits.Add($"insert byte 0x{raw:x2} at {at}");
                        break;
                    default:
                        bytes[at] ^= (byte)(1 << random.Next(8));
                        edits.Add($"flip a bit of byte {at}");
                        break;
                }
            }

            yield return new HostileDocument($"mutation {n} (seed {seed}): {string.Join(", ", edits)}", [.. bytes]);
        }
    }

    /// <summary>Hand-made extremes, each one a known way to make a YAML reader hang, recurse or explode.</summary>
    public static IEnumerable<HostileDocument> Extremes(byte[] config)
    {
        const string Model = "models:\n  m:\n    cmd: server --port ${PORT}\n";

        yield return Utf8("': ' inside a plain value", "models:\n  alpha:\n    cmd: echo a: b --port ${PORT}\n");
        yield return Utf8("unclosed '[' before a less indented key", "models:\n  alpha: [unclosed\n  beta:\n    cmd: x ${PORT}\n");
        yield return Utf8("unclosed '{' at the end", "models:\n  alpha: {cmd: x\n");
        yield return Utf8("100 000 '['", "models: " + new string('[', 100_000));
        yield return Utf8("10 000 nested closed lists", Model + "metadata: " + new string('[', 10_000) + new string(']', 10_000) + "\n");
        yield return Utf8("10 000 nested flow mappings", Model + "x: " + string.Concat(Enumerable.Repeat("{a: ", 10_000)) + "1" + new string('}', 10_000) + "\n");
        yield return Utf8("2 000 nested block mappings", Model + "x:\n" + string.Concat(Enumerable.Range(1, 2_000).Select(i => new string(' ', i) + "k:\n")));
        yield return Utf8("10 000 compact nested lists", Model + "x:\n" + string.Concat(Enumerable.Repeat("- ", 10_000)) + "1\n");
        yield return Utf8("billion laughs in the models' metadata", Laughs(9) + Model + "    metadata: *l9\n");
        yield return Utf8("billion laughs in an unknown top-level key", Laughs(9) + "x: *l9\n" + Model);
        yield return Utf8("billion laughs through merge keys", MergeBomb() + Model);
        yield return Utf8("alias to an undefined anchor", Model + "x: *nowhere\n");
        yield return Utf8("anchor used inside itself", Model + "x: &a [1, *a]\n");
        yield return Utf8("20 000 anchors", Model + "x:\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"  - &a{i} {i}\n")));
        yield return Utf8("1 MB anchor name", Model + "x: &" + new string('a', 1 << 20) + " 1\n");
        yield return Utf8("macro bomb: each macro is the previous one twice", MacroBomb() + Model.Replace("server", "${m40} server", StringComparison.Ordinal));
        yield return Utf8("1 MB cmd line", "models:\n  m:\n    cmd: server --port ${PORT} " + new string('x', 1 << 20) + "\n");
        yield return Utf8("1 MB key", Model + new string('k', 1 << 20) + ": 1\n");
        yield return Utf8("1 MB comment", "#" + new string('c', 1 << 20) + "\n" + Model);
        yield return Utf8("20 000 items on one line", Model + "x: [" + string.Join(", ", Enumerable.Range(0, 20_000)) + "]\n");
        yield return Utf8("1 MB double-quoted escapes", Model + "x: \"" + string.Concat(Enumerable.Repeat("\\u00e9\\t", 1 << 17)) + "\"\n");
        yield return Utf8("3.5 MB of spaces", new string(' ', 7 << 19) + "\n" + Model);
        yield return Utf8("tabs as indentation", "models:\n\tm:\n\t\tcmd: server ${PORT}\n");
        yield return Utf8("several documents", Model + "---\n" + Model + "...\n---\n[");
        yield return Utf8("directives", "%YAML 1.1\n%TAG ! tag:example.com,2000:\n%FOO bar\n---\n" + Model);
        yield return Utf8("YAML 2.0 directive", "%YAML 2.0\n---\n" + Model);
        yield return Utf8("tags", Model + "    ttl: !!int abc\n    name: !!binary aGk=\n    aliases: !custom [a]\nx: !!map 1\n");
        yield return Utf8("complex keys", Model + "? [a, b]\n: c\n? {a: 1}\n: d\n");
        yield return Utf8("CR line endings", Model.Replace("\n", "\r", StringComparison.Ordinal));
        yield return Utf8("CRLF line endings", Model.Replace("\n", "\r\n", StringComparison.Ordinal));
        yield return Utf8("NUL and control characters", Model + "x: a\0b\u0001\u001b\u007f\n\0\n");
        yield return Utf8("lone surrogates", Model + "x: \"\\ud800\"\ny: \"\ud800\"\n");
        yield return new HostileDocument("UTF-8 BOM", [0xEF, 0xBB, 0xBF, .. config]);
        yield return new HostileDocument("two UTF-8 BOMs", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. config]);
        yield return new HostileDocument("UTF-8 BOM in the middle", [.. config[..(config.Length / 2)], 0xEF, 0xBB, 0xBF, .. config[(config.Length / 2)..]]);
        yield return new HostileDocument("UTF-16 LE with BOM", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(config))]);
        yield return new HostileDocument("UTF-16 BE with BOM", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(Encoding.UTF8.GetString(config))]);
        yield return new HostileDocument("UTF-16 BOM before UTF-8 text", [0xFF, 0xFE, .. config]);
        yield return new HostileDocument("UTF-32 LE BOM before UTF-8 text", [0xFF, 0xFE, 0x00, 0x00, .. config]);
        yield return new HostileDocument("overlong and truncated UTF-8", [.. Encoding.UTF8.GetBytes(Model + "x: "), 0xC0, 0x80, 0xE2, 0x82, 0xF8, 0x88, 0x80, 0x80, 0x80, (byte)'\n']);
        yield return new HostileDocument("encoded surrogate in a key", [.. Encoding.UTF8.GetBytes(Model), 0xED, 0xA0, 0x80, (byte)':', (byte)' ', (byte)'1', (byte)'\n']);

        var random = new Random(42);
        var noise = new byte[64 * 1024];
        random.NextBytes(noise);
        yield return new HostileDocument("64 KB of random bytes", noise);
        yield return new HostileDocument("random bytes after a valid config", [.. config, .. noise[..4096]]);
    }

    private static HostileDocument Utf8(string name, string text) => new(name, Encoding.UTF8.GetBytes(text));

    // l0 is ten strings; each next level is ten aliases of the one before: l9 expands to 10^10 values.
    private static string Laughs(int levels)
    {
        var text = new StringBuilder("l0: &l0 [" + string.Join(", ", Enumerable.Repeat("\"lol\"", 10)) + "]\n");
        for (var level = 1; level <= levels; level++)
        {
            text.Append($"l{level}: &l{level} [").AppendJoin(", ", Enumerable.Repeat($"*l{level - 1}", 10)).Append("]\n");
        }

        return text.ToString();
    }

    // Merge keys copy entries, so each level's mapping holds the previous level's entries ten times over.
    private static string MergeBomb()
    {
        var text = new StringBuilder("b0: &b0 {" + string.Join(", ", Enumerable.Range(0, 10).Select(i => $"k{i}: {i}")) + "}\n");
        for (var level = 1; level <= 8; level++)
        {
            text.Append($"b{level}: &b{level}\n  <<: [")
                .AppendJoin(", ", Enumerable.Repeat($"*b{level - 1}", 10))
                .Append($"]\n  own{level}: [*b{level - 1}, *b{level - 1}]\n");
        }

        return text.ToString();
    }

    // m0 is a word; m(n) is m(n-1) twice, so ${m40} would be a terabyte of text.
    private static string MacroBomb()
    {
        var text = new StringBuilder("macros:\n  m0: \"lol \"\n");
        for (var level = 1; level <= 40; level++)
        {
            text.Append($"  m{level}: \"${{m{level - 1}}}${{m{level - 1}}}\"\n");
        }

        return text.ToString();
    }

    private static string Printable(byte b) => b switch
    {
        (byte)'\t' => "\\t",
        (byte)'\n' => "\\n",
        _ => ((char)b).ToString(),
    };
}
