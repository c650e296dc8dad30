using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlamaSwap.ServiceDefaults.Transport;

/// <summary>
/// Runs socket continuations on the I/O thread instead of queueing them to the thread pool. Every
/// request crosses three LlamaSwap processes, and each thread-pool hop costs a wake-up on a busy
/// machine: measured, this takes the chain's added p50 from about 1.0 ms to about 0.65 ms on two
/// cores (docs/PERFORMANCE.md). Safe only because no service blocks a thread in request code.
/// Opt out with <c>LLAMASWAP_INLINE_IO=0</c>.
/// </summary>
public static class InlineIoExtensions
{
    private const string Switch = "LLAMASWAP_INLINE_IO";
    private const string SocketsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Environment variables this process set on itself for its own tuning: child processes
    /// (upstreams) must not inherit them, a .NET upstream may block its I/O threads.
    /// </summary>
    public static IReadOnlyList<string> VariablesNotToInherit { get; private set; } = [];

    /// <summary>
    /// Call first thing in <c>Main</c>: System.Net.Sockets reads its switch once, from the
    /// environment, when the first socket is used.
    /// </summary>
    public static void EnableInlineSocketCompletions()
    {
        if (Environment.GetEnvironmentVariable(Switch) != "0" && Environment.GetEnvironmentVariable(SocketsVariable) is null)
        {
            Environment.SetEnvironmentVariable(SocketsVariable, "1");
            VariablesNotToInherit = [SocketsVariable];
        }
    }

    /// <summary>Kestrel's socket transport as the services run it: inline scheduling and a listen backlog that holds a burst.</summary>
    internal static void AddInlineKestrelScheduling(this IHostApplicationBuilder builder)
    {
        builder.AddListenBacklog();
        if (builder.Configuration[Switch] != "0")
        {
            builder.Services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = true);
        }
    }
}
