namespace LlamaSwap.Cli.Start;

/// <summary>One program the launcher runs: what to start and how to know it is ready.</summary>
internal sealed record ProcessSpec
{
    public required string Name { get; init; }

    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Answers 200 once the program is ready; null = <see cref="RedisPort"/> answers PING.</summary>
    public string? HealthUrl { get; init; }

    public int? RedisPort { get; init; }
}
