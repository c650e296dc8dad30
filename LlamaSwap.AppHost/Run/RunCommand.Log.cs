using Microsoft.Extensions.Logging;

namespace LlamaSwap.AppHost.Run;

internal sealed partial class RunCommand
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "starting {Name}: {Command}")]
        public static partial void Starting(ILogger logger, string name, string command);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Name} is ready ({Target})")]
        public static partial void Ready(ILogger logger, string name, string target);

        [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "{Name} exited with code {ExitCode} while starting")]
        public static partial void ExitedDuringStart(ILogger logger, string name, int exitCode);

        [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "{Name} did not become healthy at {Target} within {Seconds} s")]
        public static partial void NotHealthy(ILogger logger, string name, string target, int seconds);

        [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "{Name} exited unexpectedly with code {ExitCode}; stopping everything")]
        public static partial void DiedUnexpectedly(ILogger logger, string name, int exitCode);

        [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "last {Count} output lines of {Name}:")]
        public static partial void RecentOutput(ILogger logger, string name, int count);

        [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "{Signal} received: stopping (press Ctrl+C again to kill at once)")]
        public static partial void ShuttingDown(ILogger logger, string signal);

        [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "stopped {Name}")]
        public static partial void Stopped(ILogger logger, string name);

        [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "{Name} did not stop within {Seconds} s of SIGTERM: killed its process group")]
        public static partial void Killed(ILogger logger, string name, int seconds);

        [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "killed {Count} leftover upstream process group(s)")]
        public static partial void ReapedUpstreams(ILogger logger, int count);

        [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "could not check for leftover upstream processes: {Reason}")]
        public static partial void ReapFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "{Path} is missing: build first with `dotnet build LlamaSwap.AppHost` (dotnet run does this)")]
        public static partial void NotBuilt(ILogger logger, string path);

        [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "port {Port} is already in use: choose another with {Option}")]
        public static partial void PortInUse(ILogger logger, int port, string option);

        [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "no Redis available: {Reason}")]
        public static partial void RedisUnavailable(ILogger logger, string reason);

        [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "Redis at {Target} does not answer PING; starting anyway, the services will keep retrying")]
        public static partial void ExternalRedisUnreachable(ILogger logger, string target);

        [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "could not delete run directory {Path}: {Reason}")]
        public static partial void RunDirectoryKept(ILogger logger, string path, string reason);
    }
}
