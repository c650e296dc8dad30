using System.Text.RegularExpressions;
using LlamaSwap.Core.Configuration.Loading;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Macros;

/// <summary>Finds <c>${name}</c> placeholders still present in values after every substitution.</summary>
internal static partial class LeftoverMacroFinder
{
    public static IEnumerable<(string Path, string Name)> Find(ConfigNode node, string path)
    {
        switch (node)
        {
            case ScalarNode { Kind: ScalarKind.String } scalar:
                foreach (Match match in PlaceholderPattern().Matches(scalar.Text))
                {
                    yield return (path, match.Groups[1].Value);
                }

                break;
            case SequenceNode sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    foreach (var found in Find(sequence.Items[i], ConfigPath.Index(path, i)))
                    {
                        yield return found;
                    }
                }

                break;
            case MappingNode mapping:
                foreach (var entry in mapping.Entries)
                {
                    foreach (var found in Find(entry.Value, ConfigPath.Child(path, entry.Key)))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }

    [GeneratedRegex(@"\$\{([a-zA-Z0-9_.\-]+)\}")]
    private static partial Regex PlaceholderPattern();
}
