using System.Diagnostics;

namespace LlamaSwap.Supervisor.Telemetry;

/// <summary>
/// The supervisor's spans: <c>queue wait</c> (an admitted acquire, from entering the scheduler to its
/// grant, failure or cancellation) and <c>model load</c> (a process start, until healthy or failed).
/// Both are created by the owner loop, which serves many requests on whatever thread posted last, so
/// they are parented explicitly to the acquire request's context and never left as the thread's
/// <see cref="Activity.Current"/>. Without a trace listener (no OTLP endpoint) nothing is created.
/// </summary>
internal static class SupervisorTelemetry
{
    public const string SourceName = "LlamaSwap.Supervisor";

    public const string QueueWaitSpan = "queue wait";

    public const string ModelLoadSpan = "model load";

    /// <summary>OpenTelemetry GenAI attribute naming the requested model.</summary>
    public const string ModelAttribute = "gen_ai.request.model";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts a span under <paramref name="parent"/> (a root span when it is default) without changing the current activity.</summary>
    public static Activity? StartDetached(string name, ActivityContext parent, string model)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var previous = Activity.Current;

        // A default parent means "use Activity.Current", which on the loop is some other request's.
        Activity.Current = null;
        var activity = Source.StartActivity(name, ActivityKind.Internal, parent);
        Activity.Current = previous;
        activity?.SetTag(ModelAttribute, model);
        return activity;
    }

    /// <summary>Ends a span started by <see cref="StartDetached"/>; an error description marks it failed.</summary>
    public static void Stop(Activity? activity, string? error = null)
    {
        if (activity is null)
        {
            return;
        }

        if (error is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, error);
        }

        var previous = Activity.Current;
        activity.Stop();
        if (!ReferenceEquals(previous, activity))
        {
            Activity.Current = previous;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> with <paramref name="span"/> as the current activity, so the
    /// background work it starts (the process start and its health checks) is traced under it.
    /// </summary>
    public static void RunUnder(Activity? span, Action action)
    {
        if (span is null)
        {
            action();
            return;
        }

        var previous = Activity.Current;
        Activity.Current = span;
        try
        {
            action();
        }
        finally
        {
            Activity.Current = previous;
        }
    }
}
