using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlamaSwap.ServiceDefaults.Transport;

/// <summary>
/// Kestrel's accept queue. Its default (512) overflows when a burst of clients connects at once
/// while the accept loop waits for a core: the kernel drops the handshake and that connection waits
/// for a retransmission. Measured with 1,000 streams opened at once through the chain on two cores:
/// up to 900 dropped handshakes per run with 512, none in 15 of 17 runs with 4096
/// (docs/PERFORMANCE.md). Every hop of the chain opens connections to the next in such a burst, so
/// every service gets the larger queue. Linux caps it at <c>net.core.somaxconn</c> (4096 on current
/// kernels). <c>LLAMASWAP_LISTEN_BACKLOG</c> overrides it.
/// </summary>
internal static class ListenBacklog
{
    public const int Default = 4096;

    private const string Variable = "LLAMASWAP_LISTEN_BACKLOG";

    public static void AddListenBacklog(this IHostApplicationBuilder builder)
    {
        var backlog = int.TryParse(builder.Configuration[Variable], NumberStyles.None, CultureInfo.InvariantCulture, out var configured) && configured > 0
            ? configured
            : Default;
        builder.Services.Configure<SocketTransportOptions>(o => o.Backlog = backlog);
    }
}
