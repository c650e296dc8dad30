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
        var directory = Directory.CreateTempSubdirectory("llamaswap-badconfig-");
        try
        {
            var configPath = Path.Combine(directory.FullName, "config.yaml");
            await File.WriteAllTextAsync(configPath, ThreeErrors);
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(RepoLayout.ServiceDll(service));
            info.Environment["LLAMASWAP_CONFIG"] = configPath;
            info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePorts.Next()}";
            info.Environment["services__supervisor__http__0"] = "http://127.0.0.1:1";
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            var text = await output + await errors;

            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains("startPort", text);
            Assert.Contains("models.a.ttl", text);
            Assert.Contains("duplicate alias shared", text);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
