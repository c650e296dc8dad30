using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace LlamaSwap.TestUpstream;

internal static class Program
{
    public static int Main(string[] args)
    {
        // The startup delay counts from process start, not from when Kestrel is listening.
        var sinceStart = Stopwatch.StartNew();
        UpstreamOptions options;
        try
        {
            options = UpstreamOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        foreach (var line in options.StderrLines)
        {
            Console.Error.WriteLine(line);
        }

        var failsAtStart = options.SigkillAtStart || options.ExitAtStart is not null;
        if (failsAtStart && options.StartupDelay - sinceStart.Elapsed is { Ticks: > 0 } loading)
        {
            // A server that loads for a while before it fails (the loading-state stream starts meanwhile).
            Thread.Sleep(loading);
        }

        if (options.SigkillAtStart)
        {
            Console.Error.Flush();
            using var self = Process.GetCurrentProcess();
            self.Kill();

            // The signal is delivered as kill(2) returns; nothing below may run, not even an exit.
            Thread.Sleep(Timeout.Infinite);
        }

        if (options.ExitAtStart is { } exitCode)
        {
            return exitCode;
        }

        using var events = options.EventsFile is null ? null : new JsonLinesFile(options.EventsFile);
        using var records = options.RecordFile is null ? null : new JsonLinesFile(options.RecordFile);

        // The empty builder skips configuration files, file watchers and default providers: tests
        // start dozens of these processes and each one must be listening quickly.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.Configure<SocketTransportOptions>(sockets => sockets.NoDelay = !options.SplitWrites);
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole();
        // Signals are handled below; the default console lifetime would stop on SIGTERM even when
        // --ignore-sigterm asks us not to.
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));

        var app = builder.Build();
        app.UseWebSockets();
        var responder = new Responder(options, events, records, sinceStart, app.Lifetime.ApplicationStopping);
        app.Run(responder.HandleAsync);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            responder.WriteEvent("started");

            // Something for the supervisor to capture: the log endpoints' tests look for this line.
            Console.WriteLine($"test upstream {options.Model} listening on port {options.Port}");
            foreach (var line in options.ColoredLines)
            {
                Console.WriteLine($"\u001b[1;32m{line}\u001b[0m");
            }
        });

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            responder.WriteEvent("sigterm");
            if (!options.IgnoreSigterm)
            {
                app.Lifetime.StopApplication();
            }
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

        app.Run();
        return 0;

        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            app.Lifetime.StopApplication();
        }
    }

    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
