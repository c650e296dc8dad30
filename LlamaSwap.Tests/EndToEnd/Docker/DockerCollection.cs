namespace LlamaSwap.Tests.EndToEnd.Docker;

/// <summary>
/// Docker tests share one engine and one image, and run alone: a collection with parallelization
/// disabled runs after the parallel ones and never beside another such collection (EndToEnd,
/// Browser), so no other stack competes with the containers for the machine's two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "Docker";
}
