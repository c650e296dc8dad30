using System.Security.Cryptography;
using System.Text;
using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Supervisor.Processes;

/// <summary>Immutable description of an upstream process to run (built from a model's config).</summary>
internal sealed record ProcessSpec
{
    public required string ModelId { get; init; }

    /// <summary>argv; element 0 is the program.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Appended to the inherited environment.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>argv of cmdStop; <c>${PID}</c> is replaced at stop time. Null = SIGTERM to the process group.</summary>
    public IReadOnlyList<string>? StopCommand { get; init; }

    public required Uri Proxy { get; init; }

    /// <summary>Health path polled for HTTP 200; null = ready right after spawn.</summary>
    public string? CheckEndpoint { get; init; }

    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The spec of a configured model.</summary>
    public static ProcessSpec For(ModelConfig model) => new()
    {
        ModelId = model.Id,
        Command = model.Command,
        Env = model.Env,
        StopCommand = model.StopCommand,
        Proxy = model.Proxy,
        CheckEndpoint = model.CheckEndpoint,
        HealthCheckTimeout = TimeSpan.FromSeconds(model.HealthCheckTimeoutSeconds),
    };

    /// <summary>
    /// Hash of what defines the running process: model, argv, environment and address (the settings
    /// whose change restarts a model on reload). Recorded with the pid, so a later supervisor adopts
    /// a leftover only while the config would start exactly that process again.
    /// </summary>
    public string Fingerprint()
    {
        var text = new StringBuilder();
        void Add(string value) => text.Append(value.Length).Append(':').Append(value).Append('\n');
        Add(ModelId);
        Add(Proxy.ToString());
        text.Append(Command.Count).Append('\n');
        foreach (var word in Command)
        {
            Add(word);
        }

        text.Append(Env.Count).Append('\n');
        foreach (var (name, value) in Env)
        {
            Add(name);
            Add(value);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
