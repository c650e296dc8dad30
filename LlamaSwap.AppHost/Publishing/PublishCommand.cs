using Aspire.Hosting;
using LlamaSwap.AppHost.Cli;
using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost.Publishing;

/// <summary>
/// Writes the deployment artifacts: Aspire's own manifest of the app model, then a docker-compose
/// file generated from that manifest (Aspire's compose publisher is not available to us), the
/// Dockerfile the compose file builds, and a config to mount.
/// </summary>
internal static partial class PublishCommand
{
    public const string ConfigFileName = "config.yaml";
    public const string ManifestFileName = "aspire-manifest.json";

    public static async Task<int> RunAsync(PublishOptions options, BuildLayout layout)
    {
        var output = options.OutputDirectory;
        Directory.CreateDirectory(output);
        var manifestPath = Path.Combine(output, ManifestFileName);

        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = ["--publisher", "manifest", "--output-path", manifestPath],
        });
        builder.Services.AddLogging(logging => logging.AddFilter("Aspire.Hosting", LogLevel.Warning));
        builder.Services.AddLogging(logging => logging.AddFilter("Microsoft", LogLevel.Warning));
        LlamaSwapModel.Add(builder, Deployment.Settings, layout.RepoRoot);
        await using (var app = builder.Build())
        {
            await app.RunAsync();
        }

        var logger = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true))
            .CreateLogger("LlamaSwap.AppHost.Publish");
        Log.Wrote(logger, manifestPath);
        Write(logger, output, ComposeWriter.FileName, ComposeWriter.Render(await File.ReadAllTextAsync(manifestPath), output, layout.RepoRoot));
        Write(logger, output, DockerfileTemplate.FileName, DockerfileTemplate.Content);

        var config = Path.Combine(output, ConfigFileName);
        if (options.ConfigPath is { } source)
        {
            File.Copy(source, config, overwrite: true);
            Log.Wrote(logger, config);
        }
        else if (!File.Exists(config))
        {
            // compose mounts ./config.yaml: leave a starting point rather than a failing mount.
            Write(logger, output, ConfigFileName, ExampleConfig.Content);
            Log.EditConfig(logger, config);
        }

        return ExitCodes.Success;
    }

    private static void Write(ILogger logger, string directory, string fileName, string content)
    {
        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, content);
        Log.Wrote(logger, path);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "wrote {Path}")]
        public static partial void Wrote(ILogger logger, string path);

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Path} is an example: edit it (or publish with --config FILE) before `docker-compose up`")]
        public static partial void EditConfig(ILogger logger, string path);
    }
}
