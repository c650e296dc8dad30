namespace LlamaSwap.AppHost.Resources;

internal enum ResourceKind
{
    /// <summary>A Redis-protocol server (redis-server or garnet locally, a container when published).</summary>
    Redis,

    /// <summary>One of our .NET projects, serving HTTP.</summary>
    Project,
}
