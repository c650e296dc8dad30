using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Macros;

/// <summary>A declared macro; <paramref name="Text"/> is the value as interpolated, <paramref name="Kind"/> its YAML type.</summary>
internal sealed record Macro(string Name, string Text, ScalarKind Kind)
{
    public string Slug => $"${{{Name}}}";

    public static Macro FromScalar(string name, ScalarNode value)
        => new(name, ScalarResolver.Canonical(value.Text, value.Kind), value.Kind);
}
