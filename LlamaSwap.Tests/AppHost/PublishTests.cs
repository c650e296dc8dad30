using System.Text.Json;
using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Publishing;
using LlamaSwap.AppHost.Resources;
using YamlDotNet.RepresentationModel;

namespace LlamaSwap.Tests.AppHost;

public sealed class PublishTests
{
    private static readonly BuildLayout Layout = new("/repo", "Release");
    private static readonly AppModel Model = AppModel.Create(supervisorPort: null, gatewayPort: 8080, proxyPort: 3000);
    private static readonly string[] Services = ["redis", "supervisor", "gateway", "authproxy"];

    [Fact]
    public void Manifest_ListsRedisContainerAndThreeProjects()
    {
        using var manifest = JsonDocument.Parse(ManifestWriter.Render(Model, Layout, "/repo/publish"));
        var root = manifest.RootElement;
        var resources = root.GetProperty("resources");

        Assert.Equal("https://json.schemastore.org/aspire-8.0.json", root.GetProperty("$schema").GetString());
        Assert.Equal(Services, resources.EnumerateObject().Select(p => p.Name));

        var redis = resources.GetProperty("redis");
        Assert.Equal("container.v0", redis.GetProperty("type").GetString());
        Assert.Equal("{redis.bindings.tcp.host}:{redis.bindings.tcp.port}", redis.GetProperty("connectionString").GetString());
        Assert.Equal(6379, redis.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());

        Assert.Equal("../LlamaSwap.Supervisor/LlamaSwap.Supervisor.csproj", resources.GetProperty("supervisor").GetProperty("path").GetString());
        foreach (var name in Services.Skip(1))
        {
            Assert.Equal("project.v0", resources.GetProperty(name).GetProperty("type").GetString());
        }
    }

    [Fact]
    public void Manifest_WiresServicesWithAspireNamedEnvironment()
    {
        using var manifest = JsonDocument.Parse(ManifestWriter.Render(Model, Layout, "/repo/publish"));
        var resources = manifest.RootElement.GetProperty("resources");

        var supervisor = Env(resources.GetProperty("supervisor"));
        Assert.Equal("{redis.connectionString}", supervisor["ConnectionStrings__redis"]);
        Assert.Equal("/config/config.yaml", supervisor["LLAMASWAP_CONFIG"]);
        Assert.Equal("supervisor", supervisor["OTEL_SERVICE_NAME"]);
        Assert.True(supervisor.ContainsKey("LLAMASWAP_RUN_DIR"));

        var gateway = Env(resources.GetProperty("gateway"));
        Assert.Equal("{supervisor.bindings.http.url}", gateway["services__supervisor__http__0"]);
        Assert.Equal("{redis.connectionString}", gateway["ConnectionStrings__redis"]);

        var authProxy = resources.GetProperty("authproxy");
        Assert.Equal("{gateway.bindings.http.url}", Env(authProxy)["services__gateway__http__0"]);
        var binding = authProxy.GetProperty("bindings").GetProperty("http");
        Assert.True(binding.GetProperty("external").GetBoolean());
        Assert.Equal(3000, binding.GetProperty("port").GetInt32());
        Assert.False(resources.GetProperty("gateway").GetProperty("bindings").GetProperty("http").TryGetProperty("external", out _));
    }

    [Fact]
    public void Compose_NamesTheManifestsServicesWithTheSameWiringKeys()
    {
        using var manifest = JsonDocument.Parse(ManifestWriter.Render(Model, Layout, "/repo/publish"));
        var services = ComposeServices(ComposeWriter.Render(Model, Layout, "/repo/publish"));

        var manifestResources = manifest.RootElement.GetProperty("resources");
        Assert.Equal(manifestResources.EnumerateObject().Select(p => p.Name), services.Children.Keys.Select(k => k.ToString()));

        foreach (var name in Services.Skip(1))
        {
            var composeEnv = ((YamlMappingNode)services[name]["environment"]).Children.Keys.Select(k => k.ToString()).ToHashSet();
            var manifestEnv = Env(manifestResources.GetProperty(name)).Keys;
            Assert.Subset(composeEnv, manifestEnv.ToHashSet());
        }

        var gatewayEnv = (YamlMappingNode)services["gateway"]["environment"];
        Assert.Equal("http://supervisor:8080", gatewayEnv["services__supervisor__http__0"].ToString());
        Assert.Equal("redis:6379", gatewayEnv["ConnectionStrings__redis"].ToString());
        Assert.Equal("LlamaSwap.Gateway", ((YamlMappingNode)services["gateway"]["build"])["args"]["PROJECT"].ToString());
        Assert.Equal("3000:8080", ((YamlSequenceNode)services["authproxy"]["ports"]).Children.Single().ToString());
        Assert.Equal("127.0.0.1:8080:8080", ((YamlSequenceNode)services["gateway"]["ports"]).Children.Single().ToString());
    }

    [Fact]
    public void Publish_WritesManifestComposeDockerfileAndExampleConfig()
    {
        var output = Directory.CreateTempSubdirectory("llamaswap-publish-").FullName;
        try
        {
            var exitCode = PublishCommand.Run(
                new LlamaSwap.AppHost.Cli.PublishOptions { OutputDirectory = output },
                Layout,
                Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

            Assert.Equal(0, exitCode);
            Assert.True(File.Exists(Path.Combine(output, ManifestWriter.FileName)));
            Assert.True(File.Exists(Path.Combine(output, ComposeWriter.FileName)));
            Assert.Contains("ARG PROJECT", File.ReadAllText(Path.Combine(output, DockerfileTemplate.FileName)), StringComparison.Ordinal);
            Assert.Contains("${PORT}", File.ReadAllText(Path.Combine(output, PublishCommand.ConfigFileName)), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
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
