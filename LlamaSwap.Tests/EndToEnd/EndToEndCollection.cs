namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// End-to-end tests run one at a time: each drives several real processes, and timing assertions
/// (streaming, readiness) must not compete with another stack for the machine's two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection : ICollectionFixture<SharedStackFixture>
{
    public const string Name = "EndToEnd";
}
