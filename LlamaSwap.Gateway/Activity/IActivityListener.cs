namespace LlamaSwap.Gateway.Activity;

/// <summary>
/// Told about every activity row once it is stored (token metrics, the <c>/api/events</c> feed).
/// Called on the background recorder, never on a request's path; must be quick and must not throw.
/// Register any number as singletons.
/// </summary>
internal interface IActivityListener
{
    void OnRecorded(ActivityEntry entry);
}
