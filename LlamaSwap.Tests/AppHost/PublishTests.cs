using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaSwap.AppHost.Publishing;
using LlamaSwap.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace LlamaSwap.Tests.AppHost;

/// <summary>
/// The deployment artifacts at the repository root: <c>aspire-manifest.json</c> as Aspire's own
/// manifest publisher writes it (stale = this fails; refresh with
/// <c>dotnet run --project LlamaSwap.AppHost -- publish --output .</c>), and the compose file
/// generated from it.
/// </summary>
public sealed class PublishTests
{
    private static readonly string[] Resources = ["redis", "supervisor", "gateway", "authproxy"];

    [Fact]
    public async Task RootManifest_IsWhatAspireWritesToday()
    {
        var output = Directory.CreateTempSubdirectory("llamaswap-publish-").FullName;
        try
        {
            var (exitCode, log) = await PublishAsync(output);
            Assert.True(exitCode == 0, log);

            var fresh = Normalized(Path.Combine(output, PublishCommand.ManifestFileName));
            var committed = Normalized(Path.Combine(RepoLayout.Root, PublishCommand.ManifestFileName));
            Assert.True(
                JsonNode.DeepEquals(fresh, committed),
                $"aspire-manifest.json is stale: run `dotnet run --project LlamaSwap.AppHost -- publish --output .`\nfresh:\n{fresh}");
            Assert.Contains("${PORT}", File.ReadAllText(Path.Combine(output, PublishCommand.ConfigFileName)), StringComparison.Ordinal);
            Assert.Equal(DockerfileTemplate.Content, File.ReadAllText(Path.Combine(output, DockerfileTemplate.FileName)));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void RootCompose_IsGeneratedFromTheRootManifest()
    {
        var rendered = ComposeWriter.Render(RootManifest(), RepoLayout.Root, RepoLayout.Root);

        Assert.Equal(rendered, File.ReadAllText(Path.Combine(RepoLayout.Root, ComposeWriter.FileName)));
        Assert.Equal(DockerfileTemplate.Content, File.ReadAllText(Path.Combine(RepoLayout.Root, DockerfileTemplate.FileName)));
    }

    [Fact]
    public void Manifest_HasRedisAndThreeProjects_WiredByAspireNamedVariables()
    {
        using var manifest = JsonDocument.Parse(RootManifest());
        var resources = manifest.RootElement.GetProperty("resources");

        Assert.Equal(Resources, resources.EnumerateObject().Select(p => p.Name));
        Assert.Equal("executable.v0", resources.GetProperty("redis").GetProperty("type").GetString());
        Assert.Equal("redis-server", resources.GetProperty("redis").GetProperty("command").GetString());
        Assert.All(Resources.Skip(1), name => Assert.Equal("project.v0", resources.GetProperty(name).GetProperty("type").GetString()));

        Assert.Equal("{redis.connectionString}", Env(resources.GetProperty("supervisor"))["ConnectionStrings__redis"]);
        Assert.Equal("/config/config.yaml", Env(resources.GetProperty("supervisor"))["LLAMASWAP_CONFIG"]);
        Assert.Equal("{supervisor.bindings.http.url}", Env(resources.GetProperty("gateway"))["services__supervisor__http__0"]);
        Assert.Equal("{gateway.bindings.http.url}", Env(resources.GetProperty("authproxy"))["services__gateway__http__0"]);
        Assert.True(resources.GetProperty("authproxy").GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
    }

    [Fact]
    public void Compose_RunsEveryManifestResource_OnTheHostNetwork_WithHealthchecksRestartsAndResolvedWiring()
    {
        var services = ComposeServices(ComposeWriter.Render(RootManifest(), RepoLayout.Root, RepoLayout.Root));

        Assert.Equal(Resources, services.Children.Keys.Select(k => k.ToString()));
        foreach (var name in Resources)
        {
            var service = (YamlMappingNode)services[name];
            Assert.Equal("host", service["network_mode"].ToString());
            Assert.Equal("unless-stopped", service["restart"].ToString());
            Assert.True(service.Children.ContainsKey("healthcheck"), $"{name} has a healthcheck");
        }

        var gateway = (YamlMappingNode)services["gateway"];
        var gatewayEnv = (YamlMappingNode)gateway["environment"];
        Assert.Equal("http://127.0.0.1:8081", gatewayEnv["services__supervisor__http__0"].ToString());
        Assert.Equal("127.0.0.1:6379", gatewayEnv["ConnectionStrings__redis"].ToString());
        Assert.Equal("http://127.0.0.1:8080", gatewayEnv["ASPNETCORE_URLS"].ToString());
        Assert.Equal("LlamaSwap.Gateway", ((YamlMappingNode)gateway["build"])["args"]["PROJECT"].ToString());
        Assert.Equal(["redis", "supervisor"], ((YamlMappingNode)gateway["depends_on"]).Children.Keys.Select(k => k.ToString()));

        var frontDoorEnv = (YamlMappingNode)services["authproxy"]["environment"];
        Assert.Equal("http://0.0.0.0:3000", frontDoorEnv["ASPNETCORE_URLS"].ToString());
        Assert.Equal("${API_KEYS:-}", frontDoorEnv["API_KEYS"].ToString());
        Assert.False(frontDoorEnv.Children.ContainsKey("ASPNETCORE_FORWARDEDHEADERS_ENABLED"), "the edge must not trust X-Forwarded-* from clients");
    }

    [DockerComposeFact]
    public async Task DockerCompose_AcceptsTheComposeFile()
    {
        var (exitCode, output) = await RunAsync("docker-compose", ["-f", Path.Combine(RepoLayout.Root, ComposeWriter.FileName), "config", "--quiet"], RepoLayout.Root);

        Assert.True(exitCode == 0, $"docker-compose config failed ({exitCode}):\n{output}");
    }

    private static string RootManifest() => File.ReadAllText(Path.Combine(RepoLayout.Root, PublishCommand.ManifestFileName));

    /// <summary>The manifest with its relative paths (to the manifest's own directory) made absolute: two outputs compare equal.</summary>
    private static JsonNode Normalized(string manifestPath)
    {
        var root = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var directory = Path.GetDirectoryName(manifestPath)!;
        foreach (var (_, resource) in root["resources"]!.AsObject())
        {
            foreach (var key in new[] { "path", "workingDirectory" })
            {
                if (resource![key] is JsonValue value)
                {
                    resource[key] = Path.GetFullPath(value.GetValue<string>(), directory);
                }
            }
        }

        return root;
    }

    private static Task<(int ExitCode, string Output)> PublishAsync(string output)
        => RunAsync("dotnet", [RepoLayout.ServiceDll("LlamaSwap.AppHost"), "publish", "--output", output], RepoLayout.Root);

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] args, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static Dictionary<string, string> Env(JsonElement resource) =>
        resource.GetProperty("env").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    private static YamlMappingNode ComposeServices(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"];
    }
}
