using LlamaSwap.AppHost.Cli;
using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Resources;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost.Publishing;

/// <summary>Writes the deployment artifacts, all derived from one <see cref="AppModel"/>.</summary>
internal sealed partial class PublishCommand
{
    public const string ConfigFileName = "config.yaml";

    public static int Run(PublishOptions options, BuildLayout layout, ILogger logger)
    {
        var output = options.OutputDirectory;
        Directory.CreateDirectory(output);

        var model = AppModel.Create(supervisorPort: null, RunOptions.DefaultGatewayPort, RunOptions.DefaultProxyPort);
        Write(logger, output, ManifestWriter.FileName, ManifestWriter.Render(model, layout, output));
        Write(logger, output, ComposeWriter.FileName, ComposeWriter.Render(model, layout, output));
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

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Path} is an example: edit it (or publish with --config FILE) before `docker compose up`")]
        public static partial void EditConfig(ILogger logger, string path);
    }
}
