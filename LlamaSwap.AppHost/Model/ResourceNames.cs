namespace LlamaSwap.AppHost.Model;

/// <summary>The application's resources, named once: the dashboard, the manifest and compose all use these names.</summary>
internal static class ResourceNames
{
    public const string Redis = "redis";
    public const string Supervisor = "supervisor";
    public const string Gateway = "gateway";
    public const string AuthProxy = "authproxy";

    /// <summary>The services, in start order (the request path reversed).</summary>
    public static readonly string[] Services = [Supervisor, Gateway, AuthProxy];
}
