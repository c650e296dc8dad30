using System.Net;
using LlamaSwap.AuthProxy.Hardening;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Tests.AuthProxy.Hardening;

public sealed class ClientConnectionLimiterTests
{
    private static readonly ClientAddress A = new(IPAddress.Parse("192.0.2.1"), 32);
    private static readonly ClientAddress B = new(IPAddress.Parse("192.0.2.2"), 32);

    private readonly ManualTimeProvider _time = new();

    private ClientConnectionLimiter Limiter(int? maxPending = 2, long? maxAdmitted = 10, int? maxPerClient = null) => new(
        Options.Create(new AuthProxyLimits
        {
            MaxPendingConnectionsPerClient = maxPending,
            MaxConcurrentConnections = maxAdmitted,
            MaxConnectionsPerClient = maxPerClient,
        }),
        _time,
        NullLogger<ClientConnectionLimiter>.Instance);

    private static ClientConnection Open(ClientConnectionLimiter limiter, ClientAddress client)
    {
        Assert.Equal(Admission.Pending, limiter.TryOpen(client, out var connection));
        return connection!;
    }

    [Fact]
    public void TryOpen_BeyondThePendingLimit_ChecksTheConnection_OtherClientsUnaffected()
    {
        var limiter = Limiter(maxPending: 2);
        Open(limiter, A);
        Open(limiter, A);

        Assert.Equal(Admission.BurstCheck, limiter.TryOpen(A, out var checkedConnection));
        Assert.Null(checkedConnection);
        Open(limiter, B);
        Assert.Equal((2, 2, false), limiter.CountsOf(A));
        Assert.Equal((3L, 1L), limiter.Totals());
    }

    [Fact]
    public void RequestStarted_FreesAPendingSlot_OnlyOnTheFirstRequest()
    {
        var limiter = Limiter(maxPending: 1);
        var first = Open(limiter, A);

        Assert.True(limiter.RequestStarted(first));
        Assert.False(limiter.RequestStarted(first));
        Assert.Equal((1, 0, false), limiter.CountsOf(A));
        Open(limiter, A);
    }

    [Fact]
    public void Closed_FreesTheSlots_AndForgetsAClientHoldingNothing()
    {
        var limiter = Limiter(maxPending: 1);
        var pending = Open(limiter, A);

        limiter.Closed(pending);

        Assert.Equal((0, 0, false), limiter.CountsOf(A));
        Assert.Equal((0L, 0L), limiter.Totals());
        Open(limiter, A);
    }

    [Fact]
    public void CompleteHeadsInTheCheck_AreAdmittedNotPending()
    {
        var limiter = Limiter(maxPending: 1);
        Open(limiter, A);
        limiter.TryOpen(A, out _);

        var burst = limiter.EndBurstCheck(A, HeadArrival.Complete);

        Assert.NotNull(burst);
        Assert.Equal((2, 1, false), limiter.CountsOf(A));
        Assert.Equal((2L, 0L), limiter.Totals());
        Assert.True(limiter.RequestStarted(burst), "its first request is still reported (the keyless close)");
        Assert.Equal((2, 1, false), limiter.CountsOf(A));
    }

    [Fact]
    public void DribbledHeadsInTheCheck_RefuseTheClientBeyondItsLimit_UntilTheRefusalPeriodPasses()
    {
        var limiter = Limiter(maxPending: 1);
        var pending = Open(limiter, A);
        limiter.TryOpen(A, out _);

        Assert.Null(limiter.EndBurstCheck(A, HeadArrival.Partial));

        Assert.Equal((1, 1, true), limiter.CountsOf(A));
        Assert.Equal(Admission.Refused, limiter.TryOpen(A, out _));
        Open(limiter, B);
        Assert.Equal(Admission.BurstCheck, limiter.TryOpen(B, out _));

        // Refused even with no connection left: the refusal outlives the client's connections.
        limiter.Closed(pending);
        _time.Advance(ClientConnectionLimiter.RefusalPeriod - TimeSpan.FromSeconds(1));
        Open(limiter, A);
        Assert.Equal(Admission.Refused, limiter.TryOpen(A, out _));

        // Each refusal renewed it: it runs out a full period after the last one.
        _time.Advance(ClientConnectionLimiter.RefusalPeriod - TimeSpan.FromSeconds(1));
        Assert.Equal(Admission.Refused, limiter.TryOpen(A, out _));
        _time.Advance(ClientConnectionLimiter.RefusalPeriod + TimeSpan.FromSeconds(1));
        Assert.Equal(Admission.BurstCheck, limiter.TryOpen(A, out _));
    }

    [Theory]
    [InlineData(nameof(HeadArrival.Silent))]
    [InlineData(nameof(HeadArrival.Closed))]
    public void SilentOrClosedInTheCheck_DropsTheConnection_WithoutRefusingTheClient(string arrivalName)
    {
        var arrival = Enum.Parse<HeadArrival>(arrivalName);
        var limiter = Limiter(maxPending: 1);
        Open(limiter, A);
        limiter.TryOpen(A, out _);

        Assert.Null(limiter.EndBurstCheck(A, arrival));

        Assert.Equal((1, 1, false), limiter.CountsOf(A));
        Assert.Equal(Admission.BurstCheck, limiter.TryOpen(A, out _));
    }

    [Fact]
    public void MaxConcurrentConnections_BoundsAdmittedConnectionsOfAllClients_AndChecksSeparately()
    {
        var limiter = Limiter(maxPending: 1, maxAdmitted: 2);
        Open(limiter, A);
        Open(limiter, B);

        Assert.Equal(Admission.Refused, limiter.TryOpen(new ClientAddress(IPAddress.Parse("192.0.2.3"), 32), out _));
        Assert.Equal(Admission.Refused, limiter.TryOpen(A, out _));

        var limiterWithRoom = Limiter(maxPending: 1, maxAdmitted: 2);
        Open(limiterWithRoom, A);
        Assert.Equal(Admission.BurstCheck, limiterWithRoom.TryOpen(A, out _));
        Assert.Equal(Admission.BurstCheck, limiterWithRoom.TryOpen(A, out _));
        Assert.Equal(Admission.Refused, limiterWithRoom.TryOpen(A, out _));
        Open(limiterWithRoom, B);
        Assert.Null(limiterWithRoom.EndBurstCheck(A, HeadArrival.Complete));
    }

    [Fact]
    public void MaxConnectionsPerClient_CountsConnectionsThatStartedRequests()
    {
        var limiter = Limiter(maxPending: 5, maxPerClient: 2);
        limiter.RequestStarted(Open(limiter, A));
        limiter.RequestStarted(Open(limiter, A));

        Assert.Equal(Admission.Refused, limiter.TryOpen(A, out _));
        Open(limiter, B);
    }

    [Fact]
    public void NoLimits_AdmitEverything()
    {
        var limiter = Limiter(maxPending: null, maxAdmitted: null, maxPerClient: null);
        for (var i = 0; i < 1000; i++)
        {
            Open(limiter, A);
        }

        Assert.Equal((1000, 1000, false), limiter.CountsOf(A));
    }
}
