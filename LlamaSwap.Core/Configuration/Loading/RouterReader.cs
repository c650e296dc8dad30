using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// Picks the router (reference 1.7): either the legacy top-level <c>groups</c>/<c>matrix</c> or
/// <c>routing.router</c>, never both. Only the active router's settings are validated; the other's
/// are warned about, so a config can carry both and switch with one word.
/// </summary>
internal static class RouterReader
{
    private const string RouterPath = "routing.router";
    private const string SettingsPath = "routing.router.settings";

    public static RouterSelection Read(MappingNode top, IReadOnlyCollection<string> modelIds, LlamaSwapConfig config, ValueReader values)
    {
        var diagnostics = values.Diagnostics;
        var legacyGroups = Present(top["groups"]);
        var legacyMatrix = Present(top["matrix"]);
        var routerNode = Present((top["routing"] as MappingNode)?["router"]);

        if (routerNode is null)
        {
            if (legacyGroups is not null && legacyMatrix is not null)
            {
                diagnostics.Error("matrix", "groups and matrix cannot both be used: choose one router");
            }

            return legacyMatrix is not null
                ? Matrix(legacyMatrix, "matrix", modelIds, config, values)
                : Groups(legacyGroups, "groups", modelIds, values);
        }

        foreach (var (key, node) in new[] { ("groups", legacyGroups), ("matrix", legacyMatrix) })
        {
            if (node is not null)
            {
                diagnostics.Error(key, $"cannot be used together with routing.router: move it to {SettingsPath}.{key}");
            }
        }

        var router = values.Mapping(routerNode, RouterPath);
        if (router is null)
        {
            return Groups(null, "groups", modelIds, values);
        }

        KnownKeys.WarnAboutIgnoredKeys(router, RouterPath, KnownKeys.Router, diagnostics);
        var usePath = ConfigPath.Child(RouterPath, "use");
        var use = values.String(router["use"], usePath)?.Trim();
        if (string.IsNullOrEmpty(use))
        {
            use = RouterNames.Group;
        }
        else if (use is not RouterNames.Group and not RouterNames.Matrix)
        {
            diagnostics.Error(usePath, $"unknown router '{use}': use {RouterNames.Group} or {RouterNames.Matrix}");
            return Groups(null, "groups", modelIds, values);
        }

        var settings = values.Mapping(router["settings"], SettingsPath);
        if (settings is not null)
        {
            KnownKeys.WarnAboutIgnoredKeys(settings, SettingsPath, KnownKeys.RouterSettings, diagnostics);
        }

        var inactive = use == RouterNames.Group ? RouterNames.Matrix : "groups";
        if (Present(settings?[inactive]) is not null)
        {
            diagnostics.Warning(ConfigPath.Child(SettingsPath, inactive), $"ignored: routing.router.use is {use}");
        }

        if (use == RouterNames.Group)
        {
            return Groups(Present(settings?["groups"]), ConfigPath.Child(SettingsPath, "groups"), modelIds, values);
        }

        var matrixPath = ConfigPath.Child(SettingsPath, "matrix");
        var matrix = Present(settings?["matrix"]);
        if (matrix is null)
        {
            diagnostics.Error(matrixPath, "required when routing.router.use is matrix");
        }

        return Matrix(matrix, matrixPath, modelIds, config, values);
    }

    private static RouterSelection Groups(ConfigNode? node, string path, IReadOnlyCollection<string> modelIds, ValueReader values)
        => new(RouterNames.Group, GroupReader.Read(node, modelIds, values, path), null);

    private static RouterSelection Matrix(ConfigNode? node, string path, IReadOnlyCollection<string> modelIds, LlamaSwapConfig config, ValueReader values)
        // Groups mean nothing under the matrix router; the implicit group keeps GroupOf total.
        => new(RouterNames.Matrix, GroupReader.Read(null, modelIds, values), MatrixReader.Read(node, path, modelIds, config, values));

    private static ConfigNode? Present(ConfigNode? node) => node is null or ScalarNode { IsNull: true } ? null : node;
}
