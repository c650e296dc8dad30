using LlamaSwap.Tests.Gateway.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.Gateway.Routing;

/// <summary>The gateway serves exactly the routes of its catalogue, which the auth proxy classifies scopes by.</summary>
public sealed class RouteCatalogueTests
{
    // The catalogue type exists in both service assemblies (the auth proxy compiles the same file),
    // so it is looked at by name here.
    private const string CatalogueEntry = "GatewayRoute";

    [Fact]
    public async Task EveryGatewayEndpoint_ComesFromTheCatalogue_ExceptTheServiceDefaultsProbes()
    {
        await using var harness = await GatewayHarness.StartAsync();
        var endpoints = harness.Gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var outside = endpoints
            .Where(e => !e.Metadata.Any(m => m.GetType().Name == CatalogueEntry))
            .Select(e => e.RoutePattern.RawText)
            .Order(StringComparer.Ordinal)
            .ToList();
        var patterns = endpoints
            .SelectMany(e => e.Metadata.Where(m => m.GetType().Name == CatalogueEntry))
            .Select(m => (string)m.GetType().GetProperty("Pattern")!.GetValue(m)!)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(["/alive", "/health", "/ready"], outside);
        Assert.Contains("/v1/chat/completions", patterns);
        Assert.Contains("/upstream/{**path}", patterns);
        Assert.Contains("/metrics", patterns);
    }
}
