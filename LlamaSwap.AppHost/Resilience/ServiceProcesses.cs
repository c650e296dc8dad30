using Aspire.Hosting.ApplicationModel;
using LlamaSwap.Core.Processes;

namespace LlamaSwap.AppHost.Resilience;

/// <summary>
/// The operating-system processes behind a resource. DCP reports the pid it started; for a project
/// that is <c>dotnet run</c>, whose child is the service itself, so a signal meant for the service
/// goes to the children.
/// </summary>
internal static class ServiceProcesses
{
    public const string PidProperty = "executable.pid";

    /// <summary>The pid DCP started for <paramref name="resourceName"/>, while it runs.</summary>
    public static int? LaunchedPid(ResourceNotificationService notifications, string resourceName)
        => notifications.TryGetCurrentState(resourceName, out var state)
            && state.Snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value is { } value
            && int.TryParse(value.ToString(), out var pid)
            ? pid
            : null;

    /// <summary>The service processes of a project resource (the launched wrapper's children).</summary>
    public static IReadOnlyList<int> Of(ResourceNotificationService notifications, string resourceName)
        => LaunchedPid(notifications, resourceName) is { } wrapper ? ProcFs.Children(wrapper) : [];
}
