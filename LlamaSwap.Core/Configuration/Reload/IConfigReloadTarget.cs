namespace LlamaSwap.Core.Configuration.Reload;

/// <summary>Something in a service that takes a new, already validated config.</summary>
public interface IConfigReloadTarget
{
    Task ApplyAsync(LlamaSwapConfig config, CancellationToken cancellationToken);
}
