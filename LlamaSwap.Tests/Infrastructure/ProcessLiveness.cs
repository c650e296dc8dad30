namespace LlamaSwap.Tests.Infrastructure;

/// <summary>Whether a PID is a live (non-zombie) process, read from /proc.</summary>
internal static class ProcessLiveness
{
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Field 3 (after the parenthesised command name) is the state; Z = zombie, X = dead.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
