using System.Diagnostics;
using System.Text;
using LlamaSwap.Core.Processes;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>
/// A Docker engine owned by the tests: <c>dockerd</c> with its data, state and API socket in a
/// temp folder, no iptables rules and no bridge (containers use the host's network or none), so
/// it touches nothing of the machine's own engine, if there is one. Stopped by pid on dispose.
/// </summary>
internal sealed class DockerEngine : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // dockerd stops its running containers first (up to 10 s each by default) before it exits.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private DockerEngine(string directory, Process process)
    {
        Directory = directory;
        _process = process;
    }

    /// <summary>
    /// Null when Docker tests can run here; otherwise why they are skipped. An engine that is
    /// installed but does not start is not a reason to skip: <see cref="StartAsync"/> fails then.
    /// </summary>
    public static string? MissingReason { get; } = FindMissing();

    /// <summary>The engine's temp folder (data root, exec root, pid file and API socket).</summary>
    public string Directory { get; }

    /// <summary>For <c>DOCKER_HOST</c>: every docker CLI call that should reach this engine.</summary>
    public string Host => $"unix://{Path.Combine(Directory, "docker.sock")}";

    /// <summary>The environment that points the docker CLI at this engine.</summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string>
    {
        ["DOCKER_HOST"] = Host,

        // BuildKit needs the buildx plugin, which Debian's docker.io does not ship; say so rather than be warned.
        ["DOCKER_BUILDKIT"] = "0",
    };

    /// <summary>What dockerd has written so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts dockerd and waits (bounded) until its API answers; throws with dockerd's log when it does not.</summary>
    public static async Task<DockerEngine> StartAsync()
    {
        // The API socket path must fit in sun_path (108 bytes): a short folder directly under /tmp,
        // whatever TMPDIR says.
        var directory = Path.Combine("/tmp", "lsd-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal));
        System.IO.Directory.CreateDirectory(directory);

        var info = new ProcessStartInfo("dockerd")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--data-root", Path.Combine(directory, "data"),
            "--exec-root", Path.Combine(directory, "exec"),
            "--pidfile", Path.Combine(directory, "pid"),
            "--host", $"unix://{Path.Combine(directory, "docker.sock")}",
            "--iptables=false", "--ip6tables=false", "--bridge=none",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var engine = new DockerEngine(directory, Process.Start(info) ?? throw new InvalidOperationException("dockerd did not start"));
        engine._process.StandardInput.Close();
        engine._process.OutputDataReceived += (_, e) => engine.Append(e.Data);
        engine._process.ErrorDataReceived += (_, e) => engine.Append(e.Data);
        engine._process.BeginOutputReadLine();
        engine._process.BeginErrorReadLine();
        try
        {
            await engine.WaitUntilAnsweringAsync();
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }

        return engine;
    }

    /// <summary>Runs the docker CLI against this engine.</summary>
    public Task<ShortCommand.Result> RunAsync(params string[] arguments)
        => ShortCommand.RunAsync("docker", arguments, ClientEnvironment, TimeSpan.FromSeconds(60));

    /// <summary>Runs the docker CLI against this engine and throws, with its output, unless it succeeds.</summary>
    public async Task<string> RunCheckedAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', arguments)} exited with {result.ExitCode}:\n{result.Output}");
        }

        return result.Output;
    }

    /// <summary>Names of every container the engine has, running or not (<c>docker ps -a</c>).</summary>
    public async Task<IReadOnlyList<string>> ContainerNamesAsync()
    {
        var output = await RunCheckedAsync("ps", "--all", "--format", "{{.Names}}");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignals.SignalProcess(_process.Id, PosixSignals.SigTerm);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Its containerd child would outlive a SIGKILL of dockerd alone.
                var children = ProcessTree.Descendants(_process.Id);
                PosixSignals.SignalProcess(_process.Id, PosixSignals.SigKill);
                foreach (var child in children)
                {
                    PosixSignals.SignalProcess(child, PosixSignals.SigKill);
                }

                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        await UnmountLeftoversAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static string? FindMissing()
    {
        foreach (var program in new[] { "dockerd", "docker" })
        {
            if (!IsOnPath(program))
            {
                return $"needs a Docker engine: {program} is not on PATH (test.sh installs Debian's docker.io)";
            }
        }

        if (Environment.UserName != "root")
        {
            return $"needs root to run its own dockerd (running as {Environment.UserName})";
        }

        // The image the tests run holds the shared llama-server build and the tiny model.
        return SharedLlamaServer.MissingReason;
    }

    private static bool IsOnPath(string program)
        => (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                // Without a token the wait also drains the output pipes, so the log has dockerd's last words.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"dockerd exited with {_process.ExitCode} before its API answered:\n{Log}");
            }

            var version = await ShortCommand.RunAsync("docker", ["version", "--format", "{{.Server.Version}}"], ClientEnvironment, TimeSpan.FromSeconds(10));
            if (version.Succeeded)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"dockerd's API did not answer within {StartTimeout.TotalSeconds} s ({version.Output.Trim()}):\n{Log}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>dockerd leaves its default network namespace mounted under the exec root; unmount what is left so the folder can go.</summary>
    private async Task UnmountLeftoversAsync()
    {
        var prefix = Directory + "/";
        var mountPoints = File.ReadAllLines("/proc/self/mounts")
            .Select(line => line.Split(' ')[1])
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(point => point.Length);
        foreach (var point in mountPoints)
        {
            var result = await ShortCommand.RunAsync("umount", [point]);
            if (!result.Succeeded)
            {
                throw new IOException($"umount {point} failed ({result.ExitCode}): {result.Output}");
            }
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
