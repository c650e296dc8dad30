namespace LlamaSwap.Gateway.Activity;

internal sealed partial class ActivityRecorder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Activity recorder is behind: dropping finished requests without recording them")]
        public static partial void DroppingStarted(ILogger logger);

        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Activity recorder caught up; {Dropped} requests were not recorded so far")]
        public static partial void DroppingEnded(ILogger logger, long dropped);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Recording request {Id} for {Model} failed")]
        public static partial void RecordFailed(ILogger logger, long id, string model, Exception exception);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Activity listener {Listener} failed on row {Id}")]
        public static partial void ListenerFailed(ILogger logger, string listener, long id, Exception exception);
    }
}
