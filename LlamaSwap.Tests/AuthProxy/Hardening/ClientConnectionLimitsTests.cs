using System.Diagnostics;
using System.Net;
using LlamaSwap.AuthProxy.Hardening;
using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace LlamaSwap.Tests.AuthProxy.Hardening;

/// <summary>
/// Issue 11 on a real socket: one attacker (127.0.0.2) opening 1,100 connections that send their headers
/// a byte a second, which without a per-client limit locks every other client out of the 1,000
/// connections the proxy admits. Probes come from 127.0.0.1.
/// </summary>
public sealed class ClientConnectionLimitsTests(ITestOutputHelper output)
{
    private const int Global = 1000;
    private const int PerClient = 50;
    private const int AttackConnections = 1100;

    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly ClientAddress AttackerClient = new(Attacker, 32);

    private static Task Ok(HttpContext context) => context.Response.WriteAsync("gateway");

    [Fact]
    public async Task SlowHeaderClient_IsHeldToItsPendingLimit_AndOtherClientsAreServedPromptly()
    {
        await using var proxy = await ProxyUnderTest.StartAsync(
            Ok, $"MaxConcurrentConnections={Global}", $"MaxPendingConnectionsPerClient={PerClient}", "RequestHeadersTimeout=00:00:30");
        await ProbeAsync(proxy, 1); // warm-up: the first request through a new proxy compiles its path
        var clock = Stopwatch.StartNew();
        await using var attack = await SlowlorisAttack.StartAsync(Attacker, proxy.EndPoint, AttackConnections);
        output.WriteLine($"attacker opened {AttackConnections} connections in {clock.Elapsed.TotalSeconds:F1} s");

        // Its first 50 are admitted; the others wait in the burst check (at most 1,000: the rest are
        // dropped at once), holding none of the 1,000 slots.
        await LoopbackServer.WaitUntilAsync(
            () => proxy.Limiter.Totals() == (PerClient, Global) && attack.ClosedByServer == AttackConnections - PerClient - Global,
            TimeSpan.FromSeconds(4), $"50 admitted and 1,000 under check (now {proxy.Limiter.Totals()})");
        Assert.Equal((PerClient, PerClient, false), proxy.Limiter.CountsOf(AttackerClient));
        var duringCheck = await ProbeAsync(proxy, 20);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the probes ran while the attacker's connections were still checked");

        // They fail it (dribbled headers, not complete within 5 s) and are dropped: the attacker is now
        // refused beyond its 50 at accept. On a loaded machine the check waits longer for bytes the
        // proxy has not read yet, never past the 30 s header timeout (measured 5.3 s on a quiet one).
        await LoopbackServer.WaitUntilAsync(
            () => attack.ClosedByServer == AttackConnections - PerClient, TimeSpan.FromSeconds(40),
            $"the connections over the limit are dropped (closed so far: {attack.ClosedByServer})");
        output.WriteLine($"{AttackConnections - PerClient} connections beyond the limit all dropped {clock.Elapsed.TotalSeconds:F1} s after the attack began");
        Assert.Equal((PerClient, PerClient, true), proxy.Limiter.CountsOf(AttackerClient));

        // What a slowloris tool does next: it opens its dropped connections again, while others probe.
        var reopening = attack.ReopenClosedAsync(Attacker, proxy.EndPoint);
        var duringReopen = await ProbeAsync(proxy, 20);
        Assert.Equal(AttackConnections - PerClient, await reopening);
        clock.Restart();
        await LoopbackServer.WaitUntilAsync(
            () => attack.ClosedByServer == AttackConnections - PerClient, TimeSpan.FromSeconds(2),
            $"the reopened connections are refused at accept (closed so far: {attack.ClosedByServer})");
        output.WriteLine($"reopened connections all refused within {clock.Elapsed.TotalMilliseconds:F0} ms of the last one opening");

        foreach (var (phase, latencies) in new[] { ("while checked", duringCheck), ("while reopening", duringReopen) })
        {
            output.WriteLine($"20 probes on new connections {phase}: max {latencies.Max():F1} ms, median {latencies.Order().ElementAt(10):F1} ms");
            Assert.True(latencies.Max() < 1000, $"a probe {phase} took {latencies.Max():F0} ms");
        }

        // The probes ran during the attack, not after it: the attacker still holds its share.
        Assert.Equal(PerClient, attack.StillOpen);
        Assert.Equal((PerClient, PerClient, true), proxy.Limiter.CountsOf(AttackerClient));
    }

    /// <summary>Requests on new connections from 127.0.0.1 (with the key); every one must be answered 200.</summary>
    private static async Task<List<double>> ProbeAsync(ProxyUnderTest proxy, int count)
    {
        using var client = proxy.NewClient(TimeSpan.FromSeconds(5));
        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var probe = Stopwatch.StartNew();
            using var response = await client.GetAsync("/v1/models");
            latencies.Add(probe.Elapsed.TotalMilliseconds);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        return latencies;
    }

    /// <summary>The test above would prove nothing if this attack did not lock others out without the limit.</summary>
    [Fact]
    public async Task SlowHeaderClient_WithoutAPerClientLimit_LocksOtherClientsOut()
    {
        await using var proxy = await ProxyUnderTest.StartAsync(
            Ok, $"MaxConcurrentConnections={Global}", "MaxPendingConnectionsPerClient=", "RequestHeadersTimeout=00:00:30");
        await using var attack = await SlowlorisAttack.StartAsync(Attacker, proxy.EndPoint, AttackConnections);
        await LoopbackServer.WaitUntilAsync(
            () => proxy.Limiter.CountsOf(AttackerClient).Open == Global && attack.ClosedByServer == AttackConnections - Global,
            TimeSpan.FromSeconds(15), "the attacker holds every connection");

        using var client = proxy.NewClient(TimeSpan.FromSeconds(5));
        var refused = 0;
        for (var i = 0; i < 5; i++)
        {
            try
            {
                using var response = await client.GetAsync("/v1/models");
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Net.Sockets.SocketException)
            {
                // Refused at accept: HttpClient usually wraps it, but a connection the server closes
                // while the client is still reading its endpoint surfaces as a bare SocketException.
                refused++;
            }
        }

        Assert.Equal(5, refused);
    }

    [Fact]
    public async Task ManyParallelStreamsFromOneClient_AreAllServed_WithTheDefaultLimits()
    {
        // The benchmark's shape: one local client, as many concurrent streams as the proxy takes
        // (its default 1000 connections), all opened at once.
        const int Streams = 1000;
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var proxy = await ProxyUnderTest.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: first\n\n");
            await context.Response.Body.FlushAsync();
            if (Interlocked.Increment(ref arrived) == Streams)
            {
                allArrived.TrySetResult();
            }

            // Every stream stays open until all are: they are truly concurrent.
            await allArrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await context.Response.WriteAsync("data: [DONE]\n\n");
        });

        var loopback = new ClientAddress(IPAddress.Loopback, 32);
        var peakPending = 0;
        using var sampling = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakPending = Math.Max(peakPending, proxy.Limiter.CountsOf(loopback).Pending);
                await Task.Delay(1);
            }
        });

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = proxy.Url, Timeout = TimeSpan.FromSeconds(90) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", ProxyUnderTest.Key);
        var clock = Stopwatch.StartNew();
        var bodies = await Task.WhenAll(Enumerable.Range(0, Streams).Select(async _ =>
        {
            using var response = await client.PostAsync("/v1/chat/completions", new StringContent("{\"stream\":true}"));
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }));
        await sampling.CancelAsync();
        await sampler;

        output.WriteLine($"{Streams} concurrent streams in {clock.Elapsed.TotalSeconds:F1} s; at most {peakPending} connections were pending at once (sampled)");
        Assert.All(bodies, body => Assert.Equal("200 data: first\n\ndata: [DONE]\n\n", body));
    }

    [Fact]
    public async Task KeylessRequest_ClosesItsConnectionAfterTheAnswer_KeyedRequestKeepsItAlive()
    {
        await using var proxy = await ProxyUnderTest.StartAsync(Ok);

        using (var keyless = await RawClient.ConnectAsync(IPAddress.Loopback, proxy.EndPoint, CancellationToken.None))
        {
            await keyless.TrySendAsync("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
            var (received, closed) = await keyless.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
            Assert.StartsWith("HTTP/1.1 401", received);
            Assert.Contains("Connection: close", received);
            Assert.True(closed, "a connection that showed no key is not kept alive");
        }

        using var keyed = await RawClient.ConnectAsync(IPAddress.Loopback, proxy.EndPoint, CancellationToken.None);
        await keyed.TrySendAsync($"GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ProxyUnderTest.Key}\r\n\r\n");
        var (answer, keyedClosed) = await keyed.ReadUntilClosedAsync(TimeSpan.FromSeconds(1));
        Assert.StartsWith("HTTP/1.1 200", answer);
        Assert.False(keyedClosed, "a keyed connection stays alive");
        Assert.Equal((1, 0, false), proxy.Limiter.CountsOf(new ClientAddress(IPAddress.Loopback, 32)));
    }
}
