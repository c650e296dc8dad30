using LlamaSwap.ServiceDefaults.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Tests.ServiceDefaults.Transport;

public sealed class ListenBacklogTests
{
    [Fact]
    public void Kestrel_ListensWithTheLargerBacklog_ByDefault()
        => Assert.Equal(ListenBacklog.Default, BacklogWith());

    [Fact]
    public void TheVariable_OverridesTheBacklog()
        => Assert.Equal(512, BacklogWith("--LLAMASWAP_LISTEN_BACKLOG=512"));

    [Fact]
    public void AnUnusableValue_KeepsTheDefault()
        => Assert.Equal(ListenBacklog.Default, BacklogWith("--LLAMASWAP_LISTEN_BACKLOG=-3"));

    private static int BacklogWith(params string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddListenBacklog();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.Backlog;
    }
}
