using static LlamaSwap.Cli.Download.ProgressFormat;

namespace LlamaSwap.Cli.Download;

/// <summary>Runs a step again after a <see cref="TransferInterruptedException"/>, waiting longer each time (2 s, 4 s, ... at most a minute).</summary>
internal static class Retries
{
    public static async Task<T> RunAsync<T>(
        DownloadContext context, TextWriter output, Func<Task<T>> step, Action onInterrupted, string giveUpNote, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step();
            }
            catch (TransferInterruptedException ex)
            {
                onInterrupted();
                if (attempt >= context.MaxAttempts)
                {
                    throw new DownloadException($"{ex.Message}; gave up after {context.MaxAttempts} attempt(s){giveUpNote}");
                }

                var delay = Delay(context.RetryDelay, attempt);
                output.WriteLine($"{ex.Message}; retrying in {Duration(delay)} (attempt {attempt + 1} of {context.MaxAttempts})");
                await Task.Delay(delay, context.Clock, cancellationToken);
            }
        }
    }

    private static TimeSpan Delay(TimeSpan first, int attempt)
        => TimeSpan.FromTicks(Math.Min(first.Ticks * (1L << Math.Min(attempt - 1, 16)), TimeSpan.FromMinutes(1).Ticks));
}
