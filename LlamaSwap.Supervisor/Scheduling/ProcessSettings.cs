using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Supervisor.Scheduling;

/// <summary>
/// The settings that define a model's running process. Only a change to these restarts a running
/// model on reload: ttl, aliases, limits, names, groups and stop settings apply to it live.
/// </summary>
internal static class ProcessSettings
{
    public static bool Differ(ModelConfig current, ModelConfig next)
        => !current.Command.SequenceEqual(next.Command, StringComparer.Ordinal)
           || !current.Env.SequenceEqual(next.Env)
           || current.Proxy != next.Proxy
           || current.DisabledReason != next.DisabledReason;
}
