namespace LlamaSwap.Supervisor.Processes;

/// <summary>Settings of the process layer.</summary>
internal sealed class UpstreamProcessOptions
{
    /// <summary>Where pid records of spawned groups live (<c>LLAMASWAP_RUN_DIR</c>); see <see cref="LlamaSwap.Core.Processes.UpstreamPidRecords"/>.</summary>
    public string RunDirectory { get; set; } = DefaultRunDirectory;

    public static string DefaultRunDirectory => Path.Combine(Path.GetTempPath(), "llamaswap-run");
}
