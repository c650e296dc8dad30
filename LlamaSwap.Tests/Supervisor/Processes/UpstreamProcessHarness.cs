using System.Diagnostics;
using System.Text.Json.Nodes;
using LlamaSwap.Core.Processes;
using LlamaSwap.Supervisor.Processes;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlamaSwap.Tests.Supervisor.Processes;

/// <summary>
/// Per-test owner of real upstream processes: a scratch directory (run dir, event files), a factory,
/// and guaranteed cleanup (every handle disposed, every stray pid SIGKILLed).
/// </summary>
internal sealed class UpstreamProcessHarness : IAsyncDisposable
{
    private readonly List<IUpstreamProcess> _processes = [];
    private readonly List<int> _strays = [];
    private readonly UpstreamProcessFactory _factory;

    public UpstreamProcessHarness(TimeProvider? timeProvider = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("llamaswap-proc-test-").FullName;
        RunDirectory = Path.Combine(Directory, "run");
        Output = new UpstreamOutput(NullLogger<UpstreamOutput>.Instance, TimeProvider.System);
        _factory = new UpstreamProcessFactory(
            NullLoggerFactory.Instance,
            timeProvider ?? TimeProvider.System,
            Output,
            Options.Create(new UpstreamProcessOptions { RunDirectory = RunDirectory }));
    }

    public string Directory { get; }

    public string RunDirectory { get; }

    public UpstreamOutput Output { get; }

    public string PidRecordPath(int pid) => Path.Combine(RunDirectory, "upstreams", $"{pid}.json");

    /// <summary>A spec for the test upstream on a fresh port, health-checked on <c>/health</c>.</summary>
    public ProcessSpec TestUpstreamSpec(string modelId, params string[] extraArgs)
    {
        var port = FreePorts.Next();
        return new ProcessSpec
        {
            ModelId = modelId,
            Command = TestUpstreamBinary.Command(port, extraArgs),
            Proxy = new Uri($"http://127.0.0.1:{port}"),
            CheckEndpoint = "/health",
            HealthCheckTimeout = TimeSpan.FromSeconds(30),
        };
    }

    public IUpstreamProcess Create(ProcessSpec spec)
    {
        var process = _factory.Create(spec);
        _processes.Add(process);
        return process;
    }

    /// <summary>A handle on a running group as a new supervisor adopts it (from its pid record).</summary>
    public UpstreamProcess Adopt(ProcessSpec spec, UpstreamPidRecord record)
    {
        var process = _factory.Adopt(spec, record);
        _processes.Add(process);
        return process;
    }

    /// <summary>Kills <paramref name="pid"/> at cleanup if the test did not get rid of it.</summary>
    public void TrackStray(int pid) => _strays.Add(pid);

    public static async Task<int> ExitCodeWithin(IUpstreamProcess process, TimeSpan timeout) =>
        (await process.Exited.WaitAsync(timeout)).ExitCode;

    /// <summary>Lines of a JSON-lines file written by the test upstream (<c>--events-file</c>).</summary>
    public static IReadOnlyList<JsonObject> ReadJsonLines(string path) =>
        File.Exists(path)
            ? [.. File.ReadAllLines(path).Where(line => line.Length > 0).Select(line => JsonNode.Parse(line)!.AsObject())]
            : [];

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        foreach (var pid in _strays.Where(ProcFs.IsAlive))
        {
            try
            {
                PosixSignals.SignalProcess(pid, PosixSignals.SigKill);
            }
            catch (System.ComponentModel.Win32Exception)
            {
            }
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Elapsed wall time of <paramref name="action"/>.</summary>
    public static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var stopwatch = Stopwatch.StartNew();
        await action();
        return stopwatch.Elapsed;
    }
}
