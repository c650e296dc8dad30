using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Macros;

/// <summary>Substitutes macros into the values (never the keys) of a tree; <see cref="ApplyToText"/> serves the one key exception.</summary>
internal static class MacroSubstituter
{
    /// <summary>
    /// Applies <paramref name="macros"/> from last to first: a macro's value may then use macros
    /// declared before it, while a forward reference stays unresolved and is reported later.
    /// </summary>
    public static T Apply<T>(T node, IReadOnlyList<Macro> macros)
        where T : ConfigNode
    {
        ConfigNode result = node;
        for (var i = macros.Count - 1; i >= 0; i--)
        {
            result = Apply(result, macros[i]);
        }

        return (T)result;
    }

    /// <summary>
    /// Interpolates <paramref name="macros"/> (last to first) into text that is not a value, such as
    /// a <c>filters.setParamsByID</c> key: always as text, since a key has no type to take.
    /// </summary>
    public static string ApplyToText(string text, IReadOnlyList<Macro> macros)
    {
        for (var i = macros.Count - 1; i >= 0; i--)
        {
            text = text.Replace(macros[i].Slug, macros[i].Text, StringComparison.Ordinal);
        }

        return text;
    }

    public static ConfigNode Apply(ConfigNode node, Macro macro) => node switch
    {
        ScalarNode scalar => Substitute(scalar, macro),
        SequenceNode sequence => sequence with { Items = sequence.Items.Select(i => Apply(i, macro)).ToList() },
        MappingNode mapping => mapping with { Entries = mapping.Entries.Select(e => e with { Value = Apply(e.Value, macro) }).ToList() },
        _ => node,
    };

    private static ScalarNode Substitute(ScalarNode scalar, Macro macro)
    {
        if (scalar.Kind != ScalarKind.String)
        {
            return scalar;
        }

        // A value that is exactly one macro takes the macro's type, so `ttl: ${t}` stays an int.
        if (scalar.Text == macro.Slug)
        {
            return scalar with { Text = macro.Text, Kind = macro.Kind };
        }

        return scalar.Text.Contains(macro.Slug, StringComparison.Ordinal)
            ? scalar with { Text = scalar.Text.Replace(macro.Slug, macro.Text, StringComparison.Ordinal) }
            : scalar;
    }
}
