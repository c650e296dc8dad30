using Aspire.Hosting.ApplicationModel;

namespace LlamaSwap.AppHost.Redis;

/// <summary>
/// A Redis-protocol server run as a plain executable (Aspire's own Redis resource needs a container
/// runtime): <c>redis-server</c> from PATH, else the garnet-server dotnet tool. Its connection
/// string is <c>host:port</c>, which <c>WithReference</c> hands the services as <c>ConnectionStrings__redis</c>.
/// </summary>
internal sealed class RedisServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
