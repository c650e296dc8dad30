namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Builds the dotted key paths used in diagnostics, e.g. <c>models.llama.env[0]</c>.</summary>
internal static class ConfigPath
{
    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Index(string parent, int index) => $"{parent}[{index}]";
}
