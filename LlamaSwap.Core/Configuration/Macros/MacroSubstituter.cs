using System.Buffers;
using System.Text.RegularExpressions;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Macros;

/// <summary>Substitutes macros into the values (never the keys) of a tree; <see cref="ApplyToText"/> serves the one key exception.</summary>
internal static partial class MacroSubstituter
{
    /// <summary>
    /// Applies <paramref name="macros"/> from last to first: a macro's value may then use macros
    /// declared before it, while a forward reference stays unresolved and is reported later.
    /// Throws <see cref="MacroExpansionException"/> when the text grows past <paramref name="budget"/>.
    /// </summary>
    public static T Apply<T>(T node, IReadOnlyList<Macro> macros, ExpansionBudget budget)
        where T : ConfigNode
        => macros.Count == 0 ? node : (T)new Substitution(macros, budget).Apply(node);

    /// <summary>
    /// Interpolates <paramref name="macros"/> (last to first) into text that is not a value, such as
    /// a <c>filters.setParamsByID</c> key: always as text, since a key has no type to take.
    /// </summary>
    public static string ApplyToText(string text, IReadOnlyList<Macro> macros, ExpansionBudget budget)
        => macros.Count == 0 ? text : new Substitution(macros, budget).Expand(text, ScalarKind.String, typed: false).Text;

    // The names MacroReader accepts, which include the loader's own (PORT, MODEL_ID).
    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    [GeneratedRegex(@"\$\{([a-zA-Z0-9_-]+)\}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>
    /// One pass over the tree, each value taken through the macros in turn. Steps that would change
    /// nothing are skipped by looking up the placeholders a value holds, so the cost follows the
    /// placeholders present, not macros times values.
    /// </summary>
    private sealed class Substitution
    {
        private readonly IReadOnlyList<Macro> _macros;
        private readonly ExpansionBudget _budget;

        // Null when a name repeats or is unusual: then each macro is tried in turn, as written.
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? _indexByName;

        public Substitution(IReadOnlyList<Macro> macros, ExpansionBudget budget)
        {
            _macros = macros;
            _budget = budget;
            var indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < macros.Count; i++)
            {
                var name = macros[i].Name;
                if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(NameCharacters) || !indexByName.TryAdd(name, i))
                {
                    return;
                }
            }

            _indexByName = indexByName.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public ConfigNode Apply(ConfigNode node) => node switch
        {
            ScalarNode { Kind: ScalarKind.String } scalar when scalar.Text.Contains("${", StringComparison.Ordinal) => Substitute(scalar),
            SequenceNode sequence => Apply(sequence),
            MappingNode mapping => Apply(mapping),
            _ => node,
        };

        /// <summary>
        /// What applying every macro, last to first, makes of <paramref name="text"/>. When
        /// <paramref name="typed"/>, a value that is exactly one macro takes the macro's type, so
        /// <c>ttl: ${t}</c> stays an int, and a value no longer a string takes no further macros.
        /// </summary>
        public (string Text, ScalarKind Kind) Expand(string text, ScalarKind kind, bool typed)
        {
            for (var next = Next(text, _macros.Count); next >= 0 && kind == ScalarKind.String; next = Next(text, next))
            {
                var macro = _macros[next];
                if (typed && text == macro.Slug)
                {
                    _budget.Spend(macro, macro.Text.Length - macro.Slug.Length);
                    (text, kind) = (macro.Text, macro.Kind);
                }
                else
                {
                    text = Replace(text, macro);
                }
            }

            return (text, kind);
        }

        private ScalarNode Substitute(ScalarNode scalar)
        {
            var (text, kind) = Expand(scalar.Text, scalar.Kind, typed: true);
            return ReferenceEquals(text, scalar.Text) ? scalar : scalar with { Text = text, Kind = kind };
        }

        private SequenceNode Apply(SequenceNode sequence)
        {
            List<ConfigNode>? items = null;
            for (var i = 0; i < sequence.Items.Count; i++)
            {
                var item = Apply(sequence.Items[i]);
                if (items is null && !ReferenceEquals(item, sequence.Items[i]))
                {
                    items = [.. sequence.Items.Take(i)];
                }

                items?.Add(item);
            }

            return items is null ? sequence : sequence with { Items = items };
        }

        private MappingNode Apply(MappingNode mapping)
        {
            List<MappingEntry>? entries = null;
            for (var i = 0; i < mapping.Entries.Count; i++)
            {
                var entry = mapping.Entries[i];
                var value = Apply(entry.Value);
                if (entries is null && !ReferenceEquals(value, entry.Value))
                {
                    entries = [.. mapping.Entries.Take(i)];
                }

                entries?.Add(ReferenceEquals(value, entry.Value) ? entry : entry with { Value = value });
            }

            return entries is null ? mapping : mapping with { Entries = entries };
        }

        // The last macro before `before` whose placeholder is in the text: the next one to change it.
        private int Next(string text, int before)
        {
            if (_indexByName is not { } indexByName)
            {
                for (var i = before - 1; i >= 0; i--)
                {
                    if (text.Contains(_macros[i].Slug, StringComparison.Ordinal))
                    {
                        return i;
                    }
                }

                return -1;
            }

            var next = -1;
            foreach (var match in PlaceholderPattern().EnumerateMatches(text))
            {
                if (indexByName.TryGetValue(text.AsSpan(match.Index + 2, match.Length - 3), out var index) && index < before && index > next)
                {
                    next = index;
                }
            }

            return next;
        }

        // The budget is charged before the text is built, so a macro bomb fails before it allocates.
        private string Replace(string text, Macro macro)
        {
            var uses = 0;
            for (var at = text.IndexOf(macro.Slug, StringComparison.Ordinal); at >= 0; at = text.IndexOf(macro.Slug, at + macro.Slug.Length, StringComparison.Ordinal))
            {
                uses++;
            }

            _budget.Spend(macro, (long)uses * (macro.Text.Length - macro.Slug.Length));
            return text.Replace(macro.Slug, macro.Text, StringComparison.Ordinal);
        }
    }
}
