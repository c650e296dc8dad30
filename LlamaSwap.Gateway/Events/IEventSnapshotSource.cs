namespace LlamaSwap.Gateway.Events;

/// <summary>
/// Contributes frames to the snapshot a new <c>/api/events</c> client receives. Sources with a
/// negative <see cref="Order"/> come before <c>modelStatus</c>/<c>uiConfig</c>/<c>profileChanged</c>
/// (log history), the others after them (in-flight requests), matching llama-swap's order.
/// </summary>
internal interface IEventSnapshotSource
{
    int Order { get; }

    IEnumerable<byte[]> Snapshot();
}
