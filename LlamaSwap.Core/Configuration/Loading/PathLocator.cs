using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Maps a character offset of the YAML text back to the key path of the value holding it.</summary>
internal static class PathLocator
{
    public static string Locate(ConfigNode? node, int index, string path = "")
    {
        switch (node)
        {
            case MappingNode mapping:
                foreach (var entry in mapping.Entries)
                {
                    var child = ConfigPath.Child(path, entry.Key);
                    if (entry.KeySpan.Contains(index))
                    {
                        return child;
                    }

                    if (entry.Value.Span.Contains(index))
                    {
                        return Locate(entry.Value, index, child);
                    }
                }

                break;
            case SequenceNode sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (sequence.Items[i].Span.Contains(index))
                    {
                        return Locate(sequence.Items[i], index, ConfigPath.Index(path, i));
                    }
                }

                break;
        }

        return path;
    }
}
