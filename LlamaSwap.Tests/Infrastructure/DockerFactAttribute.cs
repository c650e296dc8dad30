namespace LlamaSwap.Tests.Infrastructure;

/// <summary>A fact that needs a Docker engine of its own (<see cref="DockerEngine"/>): skipped, with the reason, where none can run.</summary>
internal sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (DockerEngine.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
