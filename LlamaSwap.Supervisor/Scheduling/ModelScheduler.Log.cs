namespace LlamaSwap.Supervisor.Scheduling;

internal sealed partial class ModelScheduler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "{Model}: starting")]
        public static partial void Starting(ILogger logger, string model);

        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Model}: ready (pid {Pid})")]
        public static partial void Ready(ILogger logger, string model, int pid);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "{Model}: start failed: {Reason}")]
        public static partial void StartFailed(ILogger logger, string model, string reason);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "{Model}: stopping (graceful timeout {Seconds}s)")]
        public static partial void Stopping(ILogger logger, string model, double seconds);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "{Model}: stopped")]
        public static partial void Stopped(ILogger logger, string model);

        [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "{Model}: stop failed")]
        public static partial void StopFailed(ILogger logger, string model, Exception exception);

        [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "{Model}: upstream process exited unexpectedly ({Exit}){LastOutput}")]
        public static partial void ExitedUnexpectedly(ILogger logger, string model, string exit, string lastOutput);

        [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "{Model}: Unloading model, TTL of {Ttl}s reached")]
        public static partial void TtlReached(ILogger logger, string model, int ttl);

        [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "swap to {Model}: evicting [{Evict}]")]
        public static partial void Swapping(ILogger logger, string model, string evict);

        [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "{Model}: concurrency limit {Limit} reached, answering 429")]
        public static partial void ConcurrencyLimit(ILogger logger, string model, int limit);

        [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "config reloaded: {Summary}")]
        public static partial void Reconfigured(ILogger logger, string summary);

        [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "gateway {Gateway} silent for {Seconds}s: releasing its {Count} open lease(s)")]
        public static partial void GatewaySilent(ILogger logger, string gateway, double seconds, int count);

        [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "{Model}: ready (adopted pid {Pid})")]
        public static partial void Adopted(ILogger logger, string model, int pid);

        [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "{Model}: cannot adopt upstream pid {Pid} (model removed, running or shutting down); stopping it")]
        public static partial void AdoptionRefused(ILogger logger, string model, int pid);

        [LoggerMessage(EventId = 1010, Level = LogLevel.Critical, Message = "scheduler handler for {Message} failed")]
        public static partial void HandlerFailed(ILogger logger, string message, Exception exception);
    }
}
