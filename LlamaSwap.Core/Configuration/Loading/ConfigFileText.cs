using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Reads a config file, refusing one too large to be a config before it is read into memory.</summary>
internal static class ConfigFileText
{
    /// <summary>The file's text; throws <see cref="IOException"/> (with the reason) when it is too large or unreadable.</summary>
    public static string Read(string path)
    {
        var length = new FileInfo(path).Length;
        if (length > YamlLimits.MaxDocumentChars)
        {
            throw new IOException($"the file is {length} bytes; a config may be at most {YamlLimits.MaxDocumentChars} bytes");
        }

        return File.ReadAllText(path);
    }
}
