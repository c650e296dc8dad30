using LlamaSwap.AppHost.Processes;

namespace LlamaSwap.AppHost.Redis;

/// <summary>Where the Redis of a local run comes from.</summary>
internal abstract record RedisPlan(string ConnectionString, string Description);

/// <summary>A Redis someone else runs (<c>--redis</c> or <c>ConnectionStrings__redis</c>).</summary>
internal sealed record ExternalRedis(string ConnectionString)
    : RedisPlan(ConnectionString, $"{ConnectionString} (external)");

/// <summary>A Redis-protocol server we start as a child and stop on exit.</summary>
internal sealed record ManagedRedis(LaunchSpec Launch, int Port, string Server)
    : RedisPlan($"127.0.0.1:{Port}", $"127.0.0.1:{Port} ({Server})");
