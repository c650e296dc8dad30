using System.Diagnostics;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>A bad config stops a service at start-up with every error and its key path.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class InvalidConfigTests
{
    private const string ThreeErrors = """
        startPort: -5
        models:
          a:
            cmd: server --port ${PORT}
            ttl: soon
          b:
            cmd: server --port ${PORT}
            aliases: [shared]
          c:
            cmd: server --port ${PORT}
            aliases: [shared]
        """;

    [Theory]
    [InlineData("LlamaSwap.Supervisor")]
    [InlineData("LlamaSwap.Gateway")]
    public async Task Service_WithThreeConfigErrors_ExitsNonZeroListingAllThreeWithPaths(string service)
    {
        var (exitCode, text) = await RunWithConfigAsync(service, ThreeErrors, TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("startPort", text);
        Assert.Contains("models.a.ttl", text);
        Assert.Contains("duplicate alias shared", text);
    }

    [Theory]
    [InlineData("LlamaSwap.Supervisor")]
    [InlineData("LlamaSwap.Gateway")]
    public async Task Service_WithColonAndSpaceInAPlainValue_ExitsNonZeroWithTheLineAndColumn(string service)
    {
        // This config used to hang the loader: the supervisor never came up and printed nothing.
        const string Yaml = "models:\n  alpha:\n    cmd: echo a: b --port ${PORT}\n";

        var (exitCode, text) = await RunWithConfigAsync(service, Yaml, TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("models.alpha.cmd: invalid YAML at line 3, column 16", text);
        Assert.Contains("quote the value", text);
    }

    private static async Task<(int ExitCode, string Output)> RunWithConfigAsync(string service, string yaml, TimeSpan deadline)
    {
        var directory = Directory.CreateTempSubdirectory("llamaswap-badconfig-");
        try
        {
            var configPath = Path.Combine(directory.FullName, "config.yaml");
            await File.WriteAllTextAsync(configPath, yaml);
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(RepoLayout.ServiceDll(service));
            info.Environment["LLAMASWAP_CONFIG"] = configPath;
            info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePorts.Next()}";
            info.Environment["services__supervisor__http__0"] = "http://127.0.0.1:1";
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(deadline);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return (process.ExitCode, await output + await errors);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
