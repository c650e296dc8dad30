namespace LlamaSwap.Supervisor.Processes;

internal sealed partial class UpstreamProcess
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "{ModelId}: started upstream pid {Pid}: {Command}")]
        public static partial void Spawned(ILogger logger, string modelId, int pid, string command);

        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "{ModelId}: failed to start command '{Command}': {Reason}")]
        public static partial void FailedToStart(ILogger logger, string modelId, string command, string reason);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "{ModelId}: health check passed on {Url} after {ElapsedMs:0} ms")]
        public static partial void HealthCheckPassed(ILogger logger, string modelId, Uri url, double elapsedMs);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "{ModelId}: health check on {Url} timed out after {Timeout}")]
        public static partial void HealthCheckTimedOut(ILogger logger, string modelId, Uri url, string timeout);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "{ModelId}: upstream pid {Pid} exited prematurely ({Exit}){LastOutput}")]
        public static partial void ExitedPrematurely(ILogger logger, string modelId, int pid, string exit, string lastOutput);

        [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "{ModelId}: start of upstream pid {Pid} cancelled")]
        public static partial void StartCancelled(ILogger logger, string modelId, int pid);

        [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "{ModelId}: stopping upstream pid {Pid} with {Method}, graceful timeout {TimeoutSeconds}s")]
        public static partial void Stopping(ILogger logger, string modelId, int pid, string method, double timeoutSeconds);

        [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "{ModelId}: upstream pid {Pid} did not exit within {TimeoutSeconds}s; killing its process group")]
        public static partial void GracefulTimeoutExpired(ILogger logger, string modelId, int pid, double timeoutSeconds);

        [LoggerMessage(EventId = 1108, Level = LogLevel.Information, Message = "{ModelId}: upstream pid {Pid} exited with code {ExitCode}")]
        public static partial void Exited(ILogger logger, string modelId, int pid, int exitCode);

        [LoggerMessage(EventId = 1109, Level = LogLevel.Warning, Message = "{ModelId}: could not send signal {Signal} to process group {ProcessGroupId}")]
        public static partial void SignalFailed(ILogger logger, string modelId, int processGroupId, int signal, Exception exception);

        [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "{ModelId}: cmdStop '{Command}' could not be started ({Reason}); sending SIGTERM instead")]
        public static partial void StopCommandFailed(ILogger logger, string modelId, string command, string reason);

        [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "{ModelId}: could not write or delete the pid record of upstream pid {Pid}")]
        public static partial void PidRecordFailed(ILogger logger, string modelId, int pid, Exception exception);

        [LoggerMessage(EventId = 1112, Level = LogLevel.Warning, Message = "{ModelId}: an upstream output subscriber failed")]
        public static partial void OutputPumpFailed(ILogger logger, string modelId, Exception exception);

        [LoggerMessage(EventId = 1113, Level = LogLevel.Warning, Message = "{ModelId}: cmdStop '{Command}' exited with code {ExitCode} while upstream pid {Pid} still runs; sending SIGTERM as well")]
        public static partial void StopCommandExitedWithError(ILogger logger, string modelId, string command, int exitCode, int pid);

        [LoggerMessage(EventId = 1114, Level = LogLevel.Warning, Message = "{ModelId}: not starting: {Reason}")]
        public static partial void PortInUse(ILogger logger, string modelId, string reason);

        [LoggerMessage(EventId = 1115, Level = LogLevel.Warning, Message = "{ModelId}: health check answered by the wrong process: {Reason}")]
        public static partial void PortAnsweredByAnother(ILogger logger, string modelId, string reason);

        [LoggerMessage(EventId = 1116, Level = LogLevel.Debug, Message = "{ModelId}: who listens on port {Port} not verified: {Reason}")]
        public static partial void PortHolderNotVerified(ILogger logger, string modelId, string port, string reason);

        [LoggerMessage(EventId = 1117, Level = LogLevel.Warning, Message = "{ModelId}: the kernel's socket tables cannot be read (neither sock_diag nor /proc/net/tcp); not checking that port {Port} is free")]
        public static partial void PortNotCheckable(ILogger logger, string modelId, string port);

        [LoggerMessage(EventId = 1118, Level = LogLevel.Debug, Message = "{ModelId}: measuring the load against {Files} model file(s), {TotalBytes} bytes")]
        public static partial void MeasuringLoad(ILogger logger, string modelId, int files, long totalBytes);
    }
}
