using System.Net;

namespace LlamaSwap.Core.Processes;

/// <summary>A TCP socket in LISTEN state in our network namespace.</summary>
/// <param name="Local">The bound address and port (<c>0.0.0.0</c> or <c>::</c> for every address).</param>
/// <param name="Uid">The owner's user id.</param>
/// <param name="Inode">The socket's inode: <c>/proc/&lt;pid&gt;/fd/N</c> of its holders links to <c>socket:[Inode]</c> (see <see cref="ProcFs.SocketInodes"/>).</param>
/// <remarks>A class, not a struct: collections of it share the framework's precompiled generic code, which keeps a supervisor's first start from waiting on the JIT.</remarks>
public sealed record ListeningSocket(IPEndPoint Local, int Uid, ulong Inode);
