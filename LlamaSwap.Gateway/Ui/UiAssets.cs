using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace LlamaSwap.Gateway.Ui;

/// <summary>
/// The UI files embedded in the gateway assembly (logical names <c>ui/&lt;path&gt;</c>), loaded into
/// memory at start-up: the whole UI is a few tens of KiB and never changes while the process runs.
/// </summary>
internal sealed class UiAssets
{
    public const string ResourcePrefix = "ui/";
    public const string IndexPath = "index.html";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private readonly Dictionary<string, UiAsset> _assets;

    private UiAssets(Dictionary<string, UiAsset> assets) => _assets = assets;

    public IReadOnlyCollection<string> Paths => _assets.Keys;

    public static UiAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, UiAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var path = name[ResourcePrefix.Length..];
            assets[path] = new UiAsset(path, content, ContentTypeOf(path), ETagOf(content));
        }

        return new UiAssets(assets);
    }

    public UiAsset? Find(string path) => _assets.GetValueOrDefault(path);

    private static string ContentTypeOf(string path)
    {
        var type = ContentTypes.TryGetContentType(path, out var found) ? found : "application/octet-stream";

        // Module scripts and stylesheets are UTF-8; say so instead of leaving it to sniffing.
        return type.StartsWith("text/", StringComparison.Ordinal) || type == "image/svg+xml" ? type + "; charset=utf-8" : type;
    }

    private static string ETagOf(byte[] content)
        => "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
}
