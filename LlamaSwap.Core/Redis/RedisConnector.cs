using StackExchange.Redis;

namespace LlamaSwap.Core.Redis;

/// <summary>
/// The process's one Redis connection (registered once by <see cref="RedisServiceCollectionExtensions.AddRedisConnector"/>
/// and shared by the state store, the event bus, the usage ledger and the key limiter), opened lazily
/// and never making its caller wait for Redis: it connects in the background (<c>abortConnect=false</c>)
/// and <see cref="TryGetDatabase"/> answers null while it is not connected, so callers fall back to
/// local state instead of waiting for a timeout. Whoever creates it disposes it (in a service, DI).
/// </summary>
public sealed class RedisConnector : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;

    public RedisConnector(string connectionString)
    {
        _connection = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectAndWatchAsync(connectionString));
    }

    /// <summary>
    /// Raised when the command connection comes back after a loss (a Redis restart loses every key:
    /// the server runs without persistence, so writers republish what they own).
    /// </summary>
    public event Action? Restored;

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

    /// <summary>
    /// Runs <paramref name="action"/> with the multiplexer once it exists (it exists before Redis
    /// answers, and survives reconnects): for instrumentation that attaches to the connection. Starts connecting.
    /// </summary>
    public void WhenOpened(Action<IConnectionMultiplexer> action)
        => _connection.Value.ContinueWith(
            task => action(task.Result),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

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

    private async Task<ConnectionMultiplexer> ConnectAndWatchAsync(string connectionString)
    {
        var connection = await ConnectAsync(connectionString).ConfigureAwait(false);
        connection.ConnectionRestored += (_, args) =>
        {
            if (args.ConnectionType == ConnectionType.Interactive)
            {
                Restored?.Invoke();
            }
        };
        return connection;
    }

    /// <summary>
    /// Every LlamaSwap connection to Redis is opened this way: serving must never wait on Redis, so a
    /// failed connect keeps retrying in the background instead of failing, with short timeouts.
    /// </summary>
    private static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);

        // CLIENT LIST then says which service holds which connection (e.g. name=LlamaSwap.Gateway).
        options.ClientName ??= System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name;
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }
}
