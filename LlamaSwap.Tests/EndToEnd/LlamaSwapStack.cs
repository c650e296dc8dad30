using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LlamaSwap.Core.Contracts;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// The whole request path for real: redis-server, supervisor, gateway and auth proxy as child
/// processes, configured by a llama-swap YAML whose models run the test upstream.
/// In the YAML, <c>{{upstream}}</c> expands to the test upstream command, <c>{{dir}}</c> to the
/// stack's work directory and <c>{{startPort}}</c> to a free port block.
/// </summary>
internal sealed class LlamaSwapStack : IAsyncDisposable
{
    public const string ApiKey = "sk-e2e-secret-key";

    private LlamaSwapStack(string workDirectory, RedisServer redis)
    {
        WorkDirectory = workDirectory;
        Redis = redis;
    }

    private Dictionary<string, string> _environment = [];
    private int _supervisorPort;
    private int _startPort;
    private int _gatewayPort;

    public string WorkDirectory { get; }

    /// <summary>The config's <c>startPort</c>: models get <c>${PORT}</c> from here on, in model-ID order.</summary>
    public int StartPort => _startPort;

    public string ConfigPath => Path.Combine(WorkDirectory, "config.yaml");

    public string RunDirectory => Path.Combine(WorkDirectory, "run");

    public RedisServer Redis { get; }

    public ServiceProcess Supervisor { get; private set; } = null!;

    public ServiceProcess Gateway { get; private set; } = null!;

    public ServiceProcess AuthProxy { get; private set; } = null!;

    /// <summary>The front door, e.g. <c>http://127.0.0.1:1234</c>.</summary>
    public string FrontDoor => AuthProxy.Url;

    /// <summary>A client for the front door that sends the API key as a Bearer token.</summary>
    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The test upstream command for a model (the upstream records requests and lifecycle events in the work directory).</summary>
    public static string UpstreamCommand(string model, string extraArgs = "")
        => $"dotnet {TestUpstreamBinary.DllPath} --port ${{PORT}} --model {model} "
           + $"--record-file {{{{dir}}}}/{model}.requests.jsonl --events-file {{{{dir}}}}/{model}.events.jsonl {extraArgs}".TrimEnd();

    public static async Task<LlamaSwapStack> StartAsync(string yaml, int portCount = 10, IReadOnlyDictionary<string, string>? environment = null)
    {
        var workDirectory = Directory.CreateTempSubdirectory("llamaswap-e2e-").FullName;
        var redis = await RedisServer.StartAsync();
        var stack = new LlamaSwapStack(workDirectory, redis);
        try
        {
            stack._startPort = FreePorts.Block(portCount);
            await stack.WriteConfigAsync(yaml);
            await stack.StartServicesAsync(environment);
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }

        stack.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return stack;
    }

    public async Task StartServicesAsync(IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var supervisorPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();
        var environment = new Dictionary<string, string>
        {
            ["LLAMASWAP_CONFIG"] = ConfigPath,
            ["LLAMASWAP_RUN_DIR"] = RunDirectory,
            ["ConnectionStrings__redis"] = Redis.ConnectionString,
            ["services__supervisor__http__0"] = $"http://127.0.0.1:{supervisorPort}",
            ["services__gateway__http__0"] = $"http://127.0.0.1:{gatewayPort}",
            [LlamaSwap.Core.Hosting.WiringEnvironment.WorkDirectory] = WorkDirectory,
            [LlamaSwap.Core.Security.KeyClaimSigner.SecretSetting] = "end-to-end-secret-" + Guid.NewGuid().ToString("N"),
        };
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        _environment = environment;
        _supervisorPort = supervisorPort;
        _gatewayPort = gatewayPort;
        Supervisor = await ServiceProcess.StartAsync("LlamaSwap.Supervisor", supervisorPort, environment);
        Gateway = await ServiceProcess.StartAsync("LlamaSwap.Gateway", gatewayPort, environment);
        AuthProxy = await ServiceProcess.StartAsync("LlamaSwap.AuthProxy", FreePorts.Next(), environment);
    }

    /// <summary>Starts one more auth proxy in front of the same gateway and Redis (a replica); the caller disposes it.</summary>
    public Task<ServiceProcess> StartExtraAuthProxyAsync()
        => ServiceProcess.StartAsync("LlamaSwap.AuthProxy", FreePorts.Next(), _environment);

    /// <summary>Starts a second gateway on the same supervisor, Redis and config, and an auth proxy in front of it; the caller disposes both.</summary>
    public async Task<(ServiceProcess Gateway, ServiceProcess AuthProxy)> StartExtraGatewayAsync()
    {
        var port = FreePorts.Next();
        var environment = new Dictionary<string, string>(_environment) { ["services__gateway__http__0"] = $"http://127.0.0.1:{port}" };
        var gateway = await ServiceProcess.StartAsync("LlamaSwap.Gateway", port, environment);
        return (gateway, await ServiceProcess.StartAsync("LlamaSwap.AuthProxy", FreePorts.Next(), environment));
    }

    /// <summary>Starts a new gateway on the same port (after the old one stopped or crashed).</summary>
    public async Task RestartGatewayAsync()
    {
        await Gateway.StopAsync();
        Gateway = await ServiceProcess.StartAsync("LlamaSwap.Gateway", _gatewayPort, _environment);
    }

    /// <summary>Starts a new supervisor on the same port and run directory (after the old one stopped or crashed).</summary>
    public async Task RestartSupervisorAsync()
    {
        await Supervisor.StopAsync();
        Supervisor = await ServiceProcess.StartAsync("LlamaSwap.Supervisor", _supervisorPort, _environment);
    }

    /// <summary>Writes the config file, expanding the placeholders as at start (same port block).</summary>
    public Task WriteConfigAsync(string yaml)
        => File.WriteAllTextAsync(ConfigPath, yaml
            .Replace("{{startPort}}", _startPort.ToString(), StringComparison.Ordinal)
            .Replace("{{dir}}", WorkDirectory, StringComparison.Ordinal));

    /// <summary>SIGHUP to every service: each reloads the config file.</summary>
    public void SignalReload()
    {
        foreach (var service in new[] { Supervisor, Gateway, AuthProxy })
        {
            PosixSignals.SignalProcess(service.Pid, PosixSignals.SigHup);
        }
    }

    /// <summary>Requests the test upstream of <paramref name="model"/> received (every run of it).</summary>
    public IReadOnlyList<JsonElement> RequestsReceivedBy(string model) => ReadJsonLines($"{model}.requests.jsonl");

    /// <summary>Lifecycle events (<c>started</c>, <c>healthy</c>, ...) of every run of the model's upstream.</summary>
    public IReadOnlyList<JsonElement> EventsOf(string model) => ReadJsonLines($"{model}.events.jsonl");

    /// <summary>PIDs of every test upstream process this stack's models ever started.</summary>
    public IReadOnlyList<int> AllUpstreamPids()
        => [.. Directory.GetFiles(WorkDirectory, "*.events.jsonl")
            .SelectMany(f => ReadJsonLines(Path.GetFileName(f)))
            .Where(e => e.GetProperty("event").GetString() == "started")
            .Select(e => e.GetProperty("pid").GetInt32())
            .Distinct()];

    public int StartsOf(string model) => EventsOf(model).Count(e => e.GetProperty("event").GetString() == "started");

    public async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(FrontDoor + path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} -> {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    /// <summary>Model IDs that <c>/running</c> reports.</summary>
    public async Task<IReadOnlyList<string>> RunningAsync()
    {
        using var doc = await GetJsonAsync("/running");
        return [.. doc.RootElement.GetProperty("running").EnumerateArray().Select(e => e.GetProperty("model").GetString()!)];
    }

    /// <summary>The supervisor's own view of one model (state, pid, which supervisor), from its internal API.</summary>
    public async Task<ModelStateRecord> SupervisorStateOfAsync(string model)
    {
        var states = await Client.GetFromJsonAsync<ModelStateRecord[]>(Supervisor.Url + SupervisorApi.State, JsonSerializerOptions.Web);
        return Assert.Single(states!, s => s.Model == model);
    }

    public async Task UnloadAllAsync()
    {
        using var response = await Client.PostAsync(FrontDoor + "/api/models/unload", null);
        Assert.True(response.IsSuccessStatusCode, $"unload -> {(int)response.StatusCode}");
    }

    public string Diagnostics()
        => $"--- supervisor ---\n{Supervisor?.Output}\n--- gateway ---\n{Gateway?.Output}\n--- authproxy ---\n{AuthProxy?.Output}";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        foreach (var service in new[] { AuthProxy, Gateway, Supervisor })
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
        }

        await Redis.DisposeAsync();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A straggling writer; the temp directory is harmless.
        }
    }

    private IReadOnlyList<JsonElement> ReadJsonLines(string fileName)
    {
        var path = Path.Combine(WorkDirectory, fileName);
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = new List<JsonElement>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                lines.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }

        return lines;
    }
}
