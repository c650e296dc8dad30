using LlamaSwap.AppHost.Cli;
using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Redis;
using LlamaSwap.AppHost.Resources;
using LlamaSwap.AppHost.Run;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.Tests.AppHost;

/// <summary><c>--config-dir</c> (reference 1.1): parsed, checked, and passed to every service.</summary>
public sealed class ConfigDirOptionTests
{
    [Fact]
    public void Parse_ConfigDir_AloneIsAccepted_AsAnAbsolutePath()
    {
        var dir = Directory.CreateTempSubdirectory("llamaswap-confdir-");
        try
        {
            var options = Assert.IsType<RunOptions>(CommandLine.Parse(["--config-dir", dir.Name], dir.Parent!.FullName));

            Assert.Equal(dir.FullName, options.ConfigDir);
            Assert.Null(options.ConfigPath);
        }
        finally
        {
            dir.Delete();
        }
    }

    [Fact]
    public void Parse_ConfigDir_Missing_IsAUsageError()
    {
        var error = Assert.Throws<UsageException>(() => CommandLine.Parse(["--config-dir=/nonexistent/llamaswap"], "/work"));

        Assert.Contains("config directory not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunPlan_ConfigDir_ReachesEveryService()
    {
        var ports = new Dictionary<string, int> { [AppModel.Supervisor] = 9001, [AppModel.Gateway] = 8080, [AppModel.AuthProxy] = 3000 };
        var model = AppModel.Create(9001, 8080, 3000);
        var redis = new ExternalRedis("localhost:6379");
        var wiring = new LocalWiringTarget(ports, redis.ConnectionString, "/run/cfg.yaml", "/run", otlpEndpoint: null);

        var plan = RunPlan.Build(model, wiring, ports, redis, new BuildLayout("/repo", "Release"), configDir: "/etc/llamaswap.d");

        var services = plan.Where(r => r.Launch is not null && r.Name != "redis").ToList();
        Assert.NotEmpty(services);
        Assert.All(services, s => Assert.Equal("/etc/llamaswap.d", s.Launch!.Environment.ToDictionary()[WiringEnvironment.ConfigDir]));
    }
}
