namespace LlamaSwap.AppHost.Resources;

/// <summary>
/// The application's resources in start order: the request path reversed (redis, supervisor,
/// gateway, auth proxy). The only place that says what exists and who talks to whom.
/// </summary>
internal sealed record AppModel(IReadOnlyList<ResourceSpec> Resources)
{
    public const string Redis = "redis";
    public const string Supervisor = "supervisor";
    public const string Gateway = "gateway";
    public const string AuthProxy = "authproxy";

    public static AppModel Create(int? supervisorPort, int gatewayPort, int proxyPort) => new(
    [
        new ResourceSpec { Name = Redis, Kind = ResourceKind.Redis },
        new ResourceSpec
        {
            Name = Supervisor,
            Kind = ResourceKind.Project,
            ProjectDirectory = "LlamaSwap.Supervisor",
            Port = supervisorPort,
            References = [Redis],
        },
        new ResourceSpec
        {
            Name = Gateway,
            Kind = ResourceKind.Project,
            ProjectDirectory = "LlamaSwap.Gateway",
            Port = gatewayPort,
            References = [Redis, Supervisor],
        },
        new ResourceSpec
        {
            Name = AuthProxy,
            Kind = ResourceKind.Project,
            ProjectDirectory = "LlamaSwap.AuthProxy",
            Port = proxyPort,
            External = true,
            References = [Redis, Gateway],
        },
    ]);

    public ResourceSpec this[string name] =>
        Resources.FirstOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"no resource '{name}'");

    public IEnumerable<ResourceSpec> Projects => Resources.Where(r => r.Kind == ResourceKind.Project);
}
