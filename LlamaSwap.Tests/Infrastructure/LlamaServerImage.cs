namespace LlamaSwap.Tests.Infrastructure;

/// <summary>
/// A container image of the shared llama-server build and the tiny model, built without any
/// registry: <c>FROM scratch</c> plus the binary, the <c>lib*.so</c> beside it (found through
/// <c>$ORIGIN</c>), the system libraries <c>ldd</c> lists (with the dynamic loader) at their own
/// paths, and the model. In the image: <c>/app/llama-server</c> (the entrypoint) and <c>/models/tiny.gguf</c>.
/// </summary>
internal static class LlamaServerImage
{
    public const string Tag = "llamaswap-test/llama-server:tiny";

    /// <summary>The entrypoint: a process whose command line contains this runs from the image.</summary>
    public const string Entrypoint = "/app/llama-server";

    public const string Model = "/models/tiny.gguf";

    /// <summary>Builds the image into <paramref name="engine"/> and checks that it runs (with <c>--init</c>, as the tests use it).</summary>
    public static async Task BuildAsync(DockerEngine engine, string build)
    {
        var context = Path.Combine(engine.Directory, "image");
        await WriteContextAsync(context, build);
        await engine.RunCheckedAsync("build", "--quiet", "--tag", Tag, context);

        var version = await engine.RunCheckedAsync("run", "--rm", "--init", "--network", "host", Tag, "--version");
        if (!version.Contains("version: ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{Tag} --version did not print a version:\n{version}");
        }
    }

    private static async Task WriteContextAsync(string context, string build)
    {
        var binary = SharedLlamaServer.Binary(build);
        var buildDirectory = Path.GetDirectoryName(binary)!;
        var app = Directory.CreateDirectory(Path.Combine(context, "app")).FullName;
        File.Copy(binary, Path.Combine(app, "llama-server"));
        foreach (var library in Directory.GetFiles(buildDirectory, "lib*.so*"))
        {
            File.Copy(library, Path.Combine(app, Path.GetFileName(library)));
        }

        foreach (var library in await SystemLibrariesAsync(binary, buildDirectory))
        {
            // File.Copy follows symlinks (libstdc++.so.6, the loader): the image gets the real file under the linked name.
            var target = Path.Combine(context, library.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(library, target);
        }

        Directory.CreateDirectory(Path.Combine(context, "models"));
        File.Copy(SharedLlamaServer.TinyModel, Path.Combine(context, Model.TrimStart('/')));
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"""
            FROM scratch
            COPY . /
            ENTRYPOINT ["{Entrypoint}"]

            """);
    }

    /// <summary>Absolute paths <c>ldd</c> resolves for the binary, except the build's own libraries (copied beside it).</summary>
    private static async Task<IReadOnlyList<string>> SystemLibrariesAsync(string binary, string buildDirectory)
    {
        var ldd = await ShortCommand.RunAsync("ldd", [binary]);
        if (!ldd.Succeeded)
        {
            throw new InvalidOperationException($"ldd {binary} exited with {ldd.ExitCode}:\n{ldd.Output}");
        }

        // Lines look like "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)"
        // or "linux-vdso.so.1 (0x...)" (in the kernel: nothing to copy).
        var libraries = new List<string>();
        foreach (var line in ldd.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var resolved = line.Contains("=>", StringComparison.Ordinal) ? line[(line.IndexOf("=>", StringComparison.Ordinal) + 2)..].Trim() : line;
            if (resolved.StartsWith("not found", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"ldd {binary}: {line}");
            }

            var path = resolved.Split(' ')[0];
            if (path.StartsWith('/') && !path.StartsWith(buildDirectory + "/", StringComparison.Ordinal))
            {
                libraries.Add(path);
            }
        }

        if (!libraries.Any(path => path.Contains("ld-linux", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"ldd {binary} listed no dynamic loader:\n{ldd.Output}");
        }

        return libraries;
    }
}
