namespace LlamaSwap.Tests.Infrastructure;

/// <summary>
/// The real llama.cpp <c>llama-server</c> builds and the tiny GGUF model in <c>../shared/llama-server</c>
/// beside the checkout (CI has it; a user's fresh clone does not, and the tests that need it are
/// then reported as skipped with <see cref="MissingReason"/>).
/// </summary>
internal static class SharedLlamaServer
{
    /// <summary>February 2025: no TCP_NODELAY, 3 HTTP threads on 2 cores, may abort (134) on SIGTERM.</summary>
    public const string B4750 = "b4750";

    /// <summary>August 2026: sets TCP_NODELAY.</summary>
    public const string B10309 = "b10309";

    /// <summary>Both builds, for theories: users run old and new servers.</summary>
    public static TheoryData<string> Builds => new() { B4750, B10309 };

    /// <summary><c>../shared/llama-server</c> beside the repository root (may not exist).</summary>
    public static string Directory { get; } = Path.GetFullPath(Path.Combine(RepoLayout.Root, "..", "shared", "llama-server"));

    /// <summary>The 9 MB random-weight model (n_embd 64, context 512).</summary>
    public static string TinyModel => Path.Combine(Directory, "tiny.gguf");

    public static string Binary(string build) => Path.Combine(Directory, build, "llama-server");

    /// <summary>Null when both builds and the model are there; otherwise why the tests that need them are skipped.</summary>
    public static string? MissingReason { get; } = FindMissing();

    /// <summary>
    /// A llama-swap <c>cmd</c> serving the tiny model with default llama-server flags (one CPU thread
    /// for generation), as the shared README suggests; <paramref name="extraArgs"/> are appended.
    /// </summary>
    public static string Command(string build, string extraArgs = "")
        => $"{Binary(build)} -m {TinyModel} --host 127.0.0.1 --port ${{PORT}} -c 512 -t 1 {extraArgs}".TrimEnd();

    private static string? FindMissing()
    {
        foreach (var path in new[] { Binary(B4750), Binary(B10309), TinyModel })
        {
            if (!File.Exists(path))
            {
                return $"needs the real llama-server and tiny model in ../shared/llama-server beside the checkout ({path} is missing)";
            }
        }

        return null;
    }
}

/// <summary>A fact that needs <see cref="SharedLlamaServer"/>: skipped, with the reason, where it is absent.</summary>
internal sealed class LlamaServerFactAttribute : FactAttribute
{
    public LlamaServerFactAttribute()
    {
        if (SharedLlamaServer.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs <see cref="SharedLlamaServer"/>: skipped, with the reason, where it is absent.</summary>
internal sealed class LlamaServerTheoryAttribute : TheoryAttribute
{
    public LlamaServerTheoryAttribute()
    {
        if (SharedLlamaServer.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
