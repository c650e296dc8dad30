namespace LlamaSwap.Gateway.Ui;

/// <summary>One file of the embedded UI, read once: its bytes, content type and strong ETag.</summary>
internal sealed record UiAsset(string Path, byte[] Content, string ContentType, string ETag);
