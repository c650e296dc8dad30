using LlamaSwap.Cli.Autostart;
using LlamaSwap.Cli.CommandLine;
using LlamaSwap.Cli.Download;
using LlamaSwap.Cli.Smoke;
using LlamaSwap.Cli.Start;
using LlamaSwap.Cli.State;
using LlamaSwap.Cli.Status;
using LlamaSwap.Cli.Stop;
using LlamaSwap.Core.Hosting;

namespace LlamaSwap.Cli;

/// <summary>
/// <c>llamaswap</c>: the installed entry point. A llama-swap command line (<c>llamaswap -config
/// x.yaml -listen :8080</c>) starts the stack, as does <c>llamaswap start</c>; the other words are the
/// seed stack's scripts as commands.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var stdout = Console.Out;
        var stderr = Console.Error;
        try
        {
            var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "start";
            var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
            switch (command)
            {
                case "start":
                    var flags = GoFlags.Parse(rest, StartOptionsParser.Booleans, StartOptionsParser.WithValue);
                    if (flags.Help)
                    {
                        stdout.WriteLine(Usage.Text);
                        return ExitCodes.Success;
                    }

                    if (flags.Switch("version") == true)
                    {
                        stdout.WriteLine(BuildInfo.Of(typeof(Program).Assembly));
                        return ExitCodes.Success;
                    }

                    return await StartCommand.RunAsync(StartOptionsParser.Parse(flags, Environment.CurrentDirectory), rest, stdout, stderr);
                case "stop":
                    return await StopCommand.RunAsync(State(rest), stdout, stderr);
                case "status":
                    return await StatusCommand.RunAsync(State(rest), stdout);
                case "autostart":
                    return await AutostartCommand.RunAsync(rest, stdout, stderr);
                case "download":
                    using (var cancel = new CancellationTokenSource())
                    {
                        // Ctrl+C keeps the .part file for the next run to resume.
                        Console.CancelKeyPress += (_, e) =>
                        {
                            e.Cancel = true;
                            cancel.Cancel();
                        };
                        return await DownloadCommand.RunAsync(rest, stdout, stderr, cancel.Token);
                    }

                case "smoke":
                    return await SmokeCommand.RunAsync(rest, stdout, CancellationToken.None);
                case "version":
                    stdout.WriteLine(BuildInfo.Of(typeof(Program).Assembly));
                    return ExitCodes.Success;
                case "help":
                    stdout.WriteLine(Usage.Text);
                    return ExitCodes.Success;
                default:
                    throw new UsageException($"unknown command '{command}'");
            }
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"llamaswap: {ex.Message}");
            stderr.WriteLine();
            stderr.WriteLine(Usage.Text);
            return ExitCodes.Usage;
        }
        catch (FileNotFoundException ex)
        {
            stderr.WriteLine($"llamaswap: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static StateDirectory State(IReadOnlyList<string> args)
    {
        var flags = GoFlags.Parse(args, [], ["state-dir"]);
        if (flags.Operands.Count > 0)
        {
            throw new UsageException($"unexpected argument '{flags.Operands[0]}'");
        }

        return new StateDirectory(StartOptionsParser.StateDirectoryOf(flags, Environment.CurrentDirectory));
    }
}
