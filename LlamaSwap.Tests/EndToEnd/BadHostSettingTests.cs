using System.Diagnostics;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// Every service validates its host settings the same way at start-up: one bad value stops the
/// process (exit code 1) before it listens, with a message naming the setting and the value.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BadHostSettingTests
{
    private const string Config = """
        models:
          a:
            cmd: server --port ${PORT}
        """;

    [Theory]
    [InlineData("LlamaSwap.Supervisor", "Supervisor__GatewayTimeoutSeconds", "-1", "Supervisor:GatewayTimeoutSeconds (Supervisor__GatewayTimeoutSeconds) must be greater than 0, got -1")]
    [InlineData("LlamaSwap.Gateway", "services__supervisor__http__0", "supervisor:8090", "services:supervisor:http:0 (services__supervisor__http__0) must be an absolute http(s) URL, got 'supervisor:8090'")]
    [InlineData("LlamaSwap.Gateway", "Gateway__HeartbeatSeconds", "0", "Gateway:HeartbeatSeconds (Gateway__HeartbeatSeconds) must be greater than 0, got 0")]
    [InlineData("LlamaSwap.AuthProxy", "services__gateway__http__0", "ftp://127.0.0.1:8080", "services:gateway:http:0 (services__gateway__http__0) must be an absolute http(s) URL, got 'ftp://127.0.0.1:8080'")]
    [InlineData("LlamaSwap.AuthProxy", "AuthProxy__Limits__MaxRequestBodySize", "0", "AuthProxy:Limits:MaxRequestBodySize (AuthProxy__Limits__MaxRequestBodySize) must be greater than 0, got 0")]
    public async Task Service_WithABadHostSetting_ExitsBeforeListeningNamingTheSetting(string service, string variable, string value, string message)
    {
        var directory = Directory.CreateTempSubdirectory("llamaswap-badsetting-");
        try
        {
            var configPath = Path.Combine(directory.FullName, "config.yaml");
            await File.WriteAllTextAsync(configPath, Config);
            var port = FreePorts.Next();
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(RepoLayout.ServiceDll(service));
            info.Environment["LLAMASWAP_CONFIG"] = configPath;
            info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            info.Environment["services__supervisor__http__0"] = "http://127.0.0.1:1";
            info.Environment[variable] = value;
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            var text = await output + await errors;

            Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}:\n{text}");
            Assert.Contains(message, text);
            Assert.DoesNotContain("Now listening", text);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
