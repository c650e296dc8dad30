using Microsoft.Extensions.Logging;

namespace LlamaSwap.Core.Processes;

/// <summary>
/// Records of spawned upstream process groups under a run directory, so that leftovers of a
/// crashed supervisor can be found and killed (by the next supervisor or by the AppHost).
/// </summary>
public static class UpstreamPidRecords
{
    /// <summary>Kills every recorded process group that is still the same process (start time checked) and deletes the records. Returns how many groups were killed.</summary>
    public static int ReapLeftovers(string runDirectory, ILogger? logger = null) => throw new NotImplementedException();
}
