namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>What a reload did to each model, for the log and for tests.</summary>
internal sealed record ReloadSummary(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Restarted,
    IReadOnlyList<string> Kept)
{
    public override string ToString()
        => $"added [{string.Join(", ", Added)}], removed [{string.Join(", ", Removed)}], restarted [{string.Join(", ", Restarted)}], kept [{string.Join(", ", Kept)}]";
}
