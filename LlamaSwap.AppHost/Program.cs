using LlamaSwap.AppHost.Cli;
using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Publishing;
using LlamaSwap.AppHost.Run;

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

        var layout = BuildLayout.FromEntryAssembly();
        return command switch
        {
            HelpCommand => WriteUsage(),
            PublishOptions publish => await PublishCommand.RunAsync(publish, layout),
            RunOptions run => await RunCommand.RunAsync(run, layout),
            _ => throw new InvalidOperationException($"unhandled command {command.GetType().Name}"),
        };
    }

    private static int WriteUsage()
    {
        Console.WriteLine(CommandLine.Usage);
        return ExitCodes.Success;
    }
}
