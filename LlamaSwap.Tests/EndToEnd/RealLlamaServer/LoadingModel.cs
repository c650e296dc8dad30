using System.Diagnostics;
using System.Runtime.InteropServices;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd.RealLlamaServer;

/// <summary>
/// A random-weight model big enough that llama-server takes seconds to load it (635 MB: n_embd 1024,
/// 12 layers, n_ff 2048), made once per test run in a temp folder with the shared
/// <c>make_tiny_gguf.py</c> (about 17 s here) and deleted when the test process ends. Never committed.
/// </summary>
/// <remarks>
/// What makes a load take visible time: a file in the page cache is read at memory speed (mmap'ed,
/// llama-server is healthy in 0.3 s). So the tests load it with <c>--no-mmap</c> (read(2) into its own
/// buffers) after evicting this one file from the page cache (<see cref="EvictFromPageCache"/>,
/// posix_fadvise DONTNEED: no root, nobody else's cache touched): measured here about 3 s from spawn
/// to healthy, the file read from disk at about 0.5 GB/s.
/// </remarks>
internal static class LoadingModel
{
    private const string Python = "/usr/bin/python3";
    private const string NumpyPackage = "/usr/lib/python3/dist-packages/numpy/__init__.py";

    private static readonly Lazy<Task<string>> s_model = new(GenerateAsync);

    /// <summary>Null when the model can be made; otherwise why the tests that need it are skipped.</summary>
    public static string? MissingReason { get; } =
        SharedLlamaServer.MissingReason
        ?? (File.Exists(Python) && File.Exists(NumpyPackage)
            ? null
            : "needs Debian's python3-numpy (apt-get install python3-numpy; test.sh does it) to make a model big enough to load slowly");

    /// <summary>The model's path, made on first use.</summary>
    public static Task<string> PathAsync() => s_model.Value;

    /// <summary>A llama-swap <c>cmd</c> that loads the model with read(2) (see the remarks).</summary>
    public static string Command(string build, string model)
        => $"{SharedLlamaServer.Binary(build)} -m {model} --host 127.0.0.1 --port ${{PORT}} -c 512 -t 1 --no-mmap";

    /// <summary>Drops this file's pages from the page cache, so the next load reads it from disk.</summary>
    public static void EvictFromPageCache(string path)
    {
        const int posixFadvDontNeed = 4;
        using var handle = File.OpenHandle(path);
        var result = PosixFadvise((int)handle.DangerousGetHandle(), 0, 0, posixFadvDontNeed);
        Assert.True(result == 0, $"posix_fadvise(DONTNEED) on {path} failed: {result}");
    }

    private static async Task<string> GenerateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("llamaswap-loading-model-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        var path = Path.Combine(directory, "loading.gguf");
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { Path.Combine(SharedLlamaServer.Directory, "make_tiny_gguf.py"), path },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["PYTHONPATH"] = Path.Combine(SharedLlamaServer.Directory, "gguf-py"),
                ["N_EMBD"] = "1024",
                ["N_LAYER"] = "12",
                ["N_FF"] = "2048",
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"make_tiny_gguf.py failed ({process.ExitCode}): {await output}{await errors}");
        return path;
    }

    [DllImport("libc", EntryPoint = "posix_fadvise")]
    private static extern int PosixFadvise(int fd, long offset, long length, int advice);
}

/// <summary>A fact that needs <see cref="LoadingModel"/>: skipped, with the reason, where it cannot be made.</summary>
internal sealed class LoadingModelFactAttribute : FactAttribute
{
    public LoadingModelFactAttribute()
    {
        if (LoadingModel.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
