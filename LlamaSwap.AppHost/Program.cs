using LlamaSwap.AppHost.Cli;
using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Logging;
using LlamaSwap.AppHost.Processes;
using LlamaSwap.AppHost.Publishing;
using LlamaSwap.AppHost.Run;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        AppHostCommand command;
        try
        {
            command = CommandLine.Parse(args);
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            Console.Error.WriteLine();
            Console.Error.WriteLine(CommandLine.Usage);
            return ExitCodes.Usage;
        }

        if (command is HelpCommand)
        {
            Console.WriteLine(CommandLine.Usage);
            return ExitCodes.Success;
        }

        var output = new OutputMultiplexer(Console.Out, useColor: OutputMultiplexer.ShouldUseColor());
        using var loggerFactory = LoggerFactory.Create(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Information);
            logging.AddProvider(new PrefixedLoggerProvider(output, "apphost"));
        });

        var layout = BuildLayout.FromEntryAssembly();
        return command switch
        {
            PublishOptions publish => PublishCommand.Run(publish, layout, loggerFactory.CreateLogger<PublishCommand>()),
            RunOptions run => await new RunCommand(run, layout, output, loggerFactory).RunAsync(),
            _ => throw new InvalidOperationException($"unhandled command {command.GetType().Name}"),
        };
    }
}
