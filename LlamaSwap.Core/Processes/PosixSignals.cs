using System.ComponentModel;
using System.Runtime.InteropServices;

namespace LlamaSwap.Core.Processes;

/// <summary>
/// Signals to whole process groups. .NET's <see cref="System.Diagnostics.Process.Kill(bool)"/> walks
/// the child tree, which misses re-parented grandchildren; a group signal reaches every member.
/// </summary>
public static partial class PosixSignals
{
    public const int SigHup = 1;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private const int Esrch = 3;

    /// <summary>
    /// Sends <paramref name="signal"/> to every process in group <paramref name="processGroupId"/>.
    /// Returns false when the group no longer exists (ESRCH).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="processGroupId"/> is 0 or 1: <c>kill(0)</c> would hit our own group and <c>kill(-1)</c> every process we may signal.
    /// </exception>
    /// <exception cref="Win32Exception">Any other kill(2) failure (e.g. EPERM).</exception>
    public static bool SignalGroup(int processGroupId, int signal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(processGroupId, 1);
        if (Kill(-processGroupId, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == Esrch ? false : throw new Win32Exception(errno, $"kill(-{processGroupId}, {signal}) failed");
    }

    /// <summary>Sends <paramref name="signal"/> to the single process <paramref name="pid"/>; false when it does not exist (ESRCH).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pid"/> is 0 or 1 (our group, or init / every process).</exception>
    /// <exception cref="Win32Exception">Any other kill(2) failure.</exception>
    public static bool SignalProcess(int pid, int signal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pid, 1);
        if (Kill(pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == Esrch ? false : throw new Win32Exception(errno, $"kill({pid}, {signal}) failed");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
