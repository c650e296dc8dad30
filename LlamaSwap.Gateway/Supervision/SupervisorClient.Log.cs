namespace LlamaSwap.Gateway.Supervision;

internal sealed partial class SupervisorClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Client left while acquiring {Model} (request {RequestId}); cancelling")]
        public static partial void AcquireAbandoned(ILogger logger, string model, string requestId);

        [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Acquire of {Model} (request {RequestId}) failed")]
        public static partial void AcquireFailed(ILogger logger, string model, string requestId, Exception exception);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Releasing lease {LeaseId} failed")]
        public static partial void ReleaseFailed(ILogger logger, string leaseId, Exception exception);

        [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Cancelling request {RequestId} failed")]
        public static partial void CancelFailed(ILogger logger, string requestId, Exception exception);

        [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "Heartbeat to the supervisor failed: {Reason}")]
        public static partial void HeartbeatFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Supervisor unreachable while acquiring {Model} ({Reason}); trying again")]
        public static partial void SupervisorUnreachable(ILogger logger, string model, string reason);

        [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Supervisor unreachable for {Seconds}s while acquiring {Model} (request {RequestId}); answering 503")]
        public static partial void SupervisorUnavailable(ILogger logger, string model, string requestId, double seconds, Exception exception);

        [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Supervisor call {Path} failed")]
        public static partial void CallFailed(ILogger logger, string path, Exception exception);
    }
}
