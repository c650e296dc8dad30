using LlamaSwap.Core.Configuration.Macros;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Tests.Configuration.Macros;

/// <summary>The one-pass substitution gives what applying each macro in turn, last to first, gives.</summary>
public sealed class MacroSubstituterTests
{
    private static readonly string[] Names = ["a", "b", "c", "MODEL_ID", "PORT", "x-1"];
    private static readonly string[] Pieces = ["${", "}", "$", "{", " ", "a", "b", "-1", "PORT", "MODEL_ID", "x"];

    [Fact]
    public void Apply_RandomMacrosAndValues_SameAsEachMacroInTurn()
    {
        var random = new Random(7);
        for (var round = 0; round < 3_000; round++)
        {
            var macros = RandomMacros(random);
            var value = new ScalarNode(RandomText(random, macros), ScalarKind.String, default);

            var expected = EachInTurn(value, macros);
            var actual = MacroSubstituter.Apply(new SequenceNode([value], default), macros, new ExpansionBudget()).Items[0];

            Assert.True(expected == actual, $"round {round}: \"{value.Text}\" with [{string.Join(", ", macros)}]: expected {expected}, got {actual}");
        }
    }

    [Fact]
    public void ApplyToText_RandomMacrosAndKeys_SameAsEachMacroInTurn()
    {
        var random = new Random(11);
        for (var round = 0; round < 3_000; round++)
        {
            var macros = RandomMacros(random);
            var text = RandomText(random, macros);

            var expected = macros.AsEnumerable().Reverse().Aggregate(text, (t, m) => t.Replace(m.Slug, m.Text, StringComparison.Ordinal));

            Assert.Equal(expected, MacroSubstituter.ApplyToText(text, macros, new ExpansionBudget()));
        }
    }

    [Fact]
    public void Apply_ValueThatIsOneMacro_TakesItsTypeAndNoFurtherMacros()
    {
        Macro[] macros = [new("n", "${t}", ScalarKind.String), new("t", "60", ScalarKind.Int)];

        var value = MacroSubstituter.Apply(new SequenceNode([new ScalarNode("${t}", ScalarKind.String, default)], default), macros, new ExpansionBudget());

        Assert.Equal(new ScalarNode("60", ScalarKind.Int, default), value.Items[0]);
    }

    [Fact]
    public void Apply_UnchangedTree_IsReturnedAsIs()
    {
        var tree = new MappingNode([new MappingEntry("k", default, new ScalarNode("no macros here", ScalarKind.String, default))], default);

        Assert.Same(tree, MacroSubstituter.Apply(tree, [new Macro("a", "1", ScalarKind.Int)], new ExpansionBudget()));
    }

    // What the loader did before the one-pass substitution: each macro over the value, last to first.
    private static ScalarNode EachInTurn(ScalarNode scalar, IReadOnlyList<Macro> macros)
    {
        for (var i = macros.Count - 1; i >= 0 && scalar.Kind == ScalarKind.String; i--)
        {
            var macro = macros[i];
            scalar = scalar.Text == macro.Slug
                ? scalar with { Text = macro.Text, Kind = macro.Kind }
                : scalar with { Text = scalar.Text.Replace(macro.Slug, macro.Text, StringComparison.Ordinal) };
        }

        return scalar;
    }

    // Names may repeat (the slow path) and texts may refer to any macro or build one from pieces.
    private static List<Macro> RandomMacros(Random random)
    {
        var macros = new List<Macro>();
        for (var count = random.Next(0, 6); count > 0; count--)
        {
            var name = Names[random.Next(Names.Length)];
            var kind = random.Next(4) == 0 ? ScalarKind.Int : ScalarKind.String;
            var text = kind == ScalarKind.Int ? random.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture) : RandomText(random, macros);
            macros.Add(new Macro(name, text, kind));
        }

        return macros;
    }

    private static string RandomText(Random random, IReadOnlyList<Macro> macros)
    {
        var parts = new List<string>();
        for (var count = random.Next(0, 6); count > 0; count--)
        {
            parts.Add(random.Next(3) switch
            {
                0 => "${" + Names[random.Next(Names.Length)] + "}",
                1 when macros.Count > 0 => macros[random.Next(macros.Count)].Slug,
                _ => Pieces[random.Next(Pieces.Length)],
            });
        }

        return string.Concat(parts);
    }
}
