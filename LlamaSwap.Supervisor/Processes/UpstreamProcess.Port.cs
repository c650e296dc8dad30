using LlamaSwap.Core.Processes;

namespace LlamaSwap.Supervisor.Processes;

// The upstream's port (see UpstreamPort): free before the spawn, held by what we spawned once healthy.
// Both checks ask the kernel (sock_diag, /proc); neither connects, so a squatter learns nothing from them.
internal sealed partial class UpstreamProcess
{
    /// <summary>
    /// How long a port found in use may take to come free before the start fails. A group we just
    /// SIGKILLed (the previous run of this model, or of another on the same fixed port) closes its
    /// sockets only after it has released its memory, which can take a moment for a large model.
    /// </summary>
    internal static readonly TimeSpan PortReleaseGrace = TimeSpan.FromSeconds(1);

    // A container client's upstream listens in the container, under the engine: never our descendant.
    private static readonly string[] ContainerClients = ["docker", "podman"];

    /// <summary>
    /// Fails the start before anything is spawned when a process already listens where the health
    /// check would connect: it would answer the check (and the clients) while our upstream failed to bind.
    /// </summary>
    private async Task EnsurePortFreeAsync(UpstreamPort port, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        while (true)
        {
            if (port.Listeners() is not { } listeners)
            {
                Log.PortNotCheckable(_logger, Spec.ModelId, port.Display);
                return;
            }

            if (listeners.Count == 0)
            {
                return;
            }

            if (_timeProvider.GetElapsedTime(started) >= PortReleaseGrace)
            {
                var message = $"port {port.Display} of model \"{Spec.ModelId}\" is already in use by another process ({DescribeHolder(listeners[0])})";
                Log.PortInUse(_logger, Spec.ModelId, message);
                throw new UpstreamStartException(message);
            }

            // The pause paces the loop in real time; the grace runs on the injected clock, as the health deadline does.
            await Task.Delay(HealthPollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// After a passed health check: the answer came from what we spawned only if every socket listening
    /// where the check connects belongs to the upstream's process tree. Throws <see cref="UpstreamStartException"/>
    /// naming the other holder otherwise. Where ownership cannot be seen (a container client's
    /// upstream runs under the engine; a member we may not inspect, e.g. behind sudo) the check that the
    /// port was free before the spawn is all there is.
    /// </summary>
    private void VerifyPortHolder(UpstreamPort port, int pid)
    {
        if (port.Listeners() is not { Count: > 0 } listeners)
        {
            Log.PortHolderNotVerified(_logger, Spec.ModelId, port.Display, "the kernel shows no socket listening there");
            return;
        }

        // The common case, one /proc/<pid>/fd read: the upstream we exec'd holds the socket itself.
        if (ProcFs.SocketInodes(pid) is { } own && Holds(own, listeners))
        {
            return;
        }

        var treeSockets = new HashSet<ulong>();
        var hidden = false;
        string? containerClient = null;
        foreach (var member in ProcFs.ProcessTree(pid))
        {
            if (ProcFs.SocketInodes(member) is { } sockets)
            {
                treeSockets.UnionWith(sockets);
            }
            else
            {
                hidden = true;
            }

            if (ProcFs.CommandName(member) is { } name && ContainerClients.Contains(name, StringComparer.Ordinal))
            {
                containerClient = name;
            }
        }

        var other = listeners.FirstOrDefault(listener => !treeSockets.Contains(listener.Inode));
        if (other is null)
        {
            return;
        }

        if (containerClient is not null)
        {
            Log.PortHolderNotVerified(_logger, Spec.ModelId, port.Display, $"the upstream is a {containerClient} client; its server runs under the container engine");
            return;
        }

        var holder = ProcFs.SocketHolder(other.Inode);
        if (holder is null && hidden)
        {
            Log.PortHolderNotVerified(_logger, Spec.ModelId, port.Display, "part of the upstream's process tree cannot be inspected");
            return;
        }

        var message = $"port {port.Display} of model \"{Spec.ModelId}\" is answered by another process ({DescribeHolder(other, holder)}), not by the upstream we started (pid {pid})";
        Log.PortAnsweredByAnother(_logger, Spec.ModelId, message);
        throw new UpstreamStartException(message);
    }

    /// <summary>
    /// Runs the socket and /proc readers once (on our own process), so the first model start does not
    /// wait on their JIT and first use: 15-30 ms in a fresh process on a 2-core machine, about 1 ms warm.
    /// </summary>
    internal static void WarmUpPortChecks()
    {
        _ = ListeningSockets.Read(0);
        if (ProcFs.SocketInodes(Environment.ProcessId) is { } sockets)
        {
            _ = Holds(sockets, []);
        }
    }

    private static bool Holds(IReadOnlySet<ulong> sockets, IReadOnlyList<ListeningSocket> listeners)
    {
        foreach (var listener in listeners)
        {
            if (!sockets.Contains(listener.Inode))
            {
                return false;
            }
        }

        return true;
    }

    private static string DescribeHolder(ListeningSocket listener) => DescribeHolder(listener, ProcFs.SocketHolder(listener.Inode));

    private static string DescribeHolder(ListeningSocket listener, int? holder)
        => holder is { } pid
            ? $"pid {pid}, {ProcFs.CommandName(pid) ?? "exited"}"
            : $"owned by uid {listener.Uid}, not visible to the supervisor";
}
