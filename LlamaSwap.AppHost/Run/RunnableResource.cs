using LlamaSwap.AppHost.Processes;

namespace LlamaSwap.AppHost.Run;

/// <summary>
/// A resource resolved for a local run: what to launch (null = runs elsewhere), where it listens,
/// how to tell it is ready, and what must be ready before it.
/// </summary>
internal sealed record RunnableResource(
    string Name,
    LaunchSpec? Launch,
    int Port,
    HealthProbe Health,
    IReadOnlyList<string> DependsOn);
