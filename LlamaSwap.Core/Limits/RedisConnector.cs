using StackExchange.Redis;

namespace LlamaSwap.Core.Limits;

/// <summary>
/// One lazily opened Redis connection that never makes its caller wait for Redis: it connects in the
/// background (<c>abortConnect=false</c>) and <see cref="TryGetDatabase"/> answers null while it is
/// not connected, so callers fall back to local state instead of waiting for a timeout.
/// </summary>
public sealed class RedisConnector : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;

    public RedisConnector(string connectionString)
    {
        _connection = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectAsync(connectionString));
    }

    /// <summary>Starts connecting, if not already (a service calls this at start-up so the first request finds Redis ready).</summary>
    public void Start() => _ = _connection.Value;

    /// <summary>True until the first connection attempt has finished (Redis is not known to be down yet).</summary>
    public bool Connecting => !_connection.Value.IsCompleted;

    /// <summary>The database when connected now; null while connecting or disconnected.</summary>
    public IDatabase? TryGetDatabase()
    {
        var task = _connection.Value;
        return task.IsCompletedSuccessfully && task.Result.IsConnected ? task.Result.GetDatabase() : null;
    }

    /// <summary>Waits for the connection object (not for Redis to answer): for reads that may wait.</summary>
    public async Task<IDatabase> GetDatabaseAsync() => (await _connection.Value.ConfigureAwait(false)).GetDatabase();

    /// <summary>Pub/sub on the same connection; waits for the connection object, not for Redis to answer.</summary>
    public async Task<ISubscriber> GetSubscriberAsync() => (await _connection.Value.ConfigureAwait(false)).GetSubscriber();

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            var connection = await _connection.Value.ConfigureAwait(false);
            await connection.CloseAsync().ConfigureAwait(false);
            connection.Dispose();
        }
    }

    /// <summary>
    /// Every LlamaSwap connection to Redis is opened this way: serving must never wait on Redis, so a
    /// failed connect keeps retrying in the background instead of failing, with short timeouts.
    /// </summary>
    internal static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }
}
