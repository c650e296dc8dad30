using System.Text.Json.Serialization;

namespace LlamaSwap.Cli.Download;

/// <summary><c>GET /api/models/{repo}/revision/{rev}?blobs=true</c>: the commit and every file with size and hashes.</summary>
internal sealed record HubRevision(string? Sha, IReadOnlyList<HubSibling>? Siblings);

internal sealed record HubSibling(string? Rfilename, long? Size, string? BlobId, HubLfs? Lfs);

internal sealed record HubLfs(string? Sha256, long? Size);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HubRevision))]
[JsonSerializable(typeof(VerifiedMarker))]
internal sealed partial class HubJson : JsonSerializerContext;
