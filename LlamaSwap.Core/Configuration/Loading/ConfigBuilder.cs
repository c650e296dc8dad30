using LlamaSwap.Core.Configuration.Macros;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// The load pipeline (reference 1.6): env macros on the raw text, parse, global macros into the
/// top level, per-model expansion in ID order, then typed reading and cross-model checks.
/// </summary>
internal sealed class ConfigBuilder(IReadOnlyDictionary<string, string> environment)
{
    private readonly DiagnosticBag _diagnostics = new();
    private readonly ExpansionBudget _budget = new();

    public ConfigLoadResult Load(string yaml)
    {
        var config = Build(yaml);
        return new ConfigLoadResult(_diagnostics.HasErrors ? null : config, _diagnostics.Errors, _diagnostics.Warnings);
    }

    /// <summary>Loads a document whose files were already env-expanded, parsed and merged (reference 1.2).</summary>
    /// <param name="reportedEnvNames">Env variables whose problems the caller already reported.</param>
    public ConfigLoadResult LoadTree(ConfigNode? root, IReadOnlySet<string> reportedEnvNames)
    {
        var config = Build(root, reportedEnvNames);
        return new ConfigLoadResult(_diagnostics.HasErrors ? null : config, _diagnostics.Errors, _diagnostics.Warnings);
    }

    private LlamaSwapConfig? Build(string yaml)
    {
        var expansion = EnvMacroExpander.Expand(yaml, environment);
        var root = YamlTreeReader.Read(expansion.Text, _diagnostics);
        foreach (var problem in expansion.Problems)
        {
            var path = PathLocator.Locate(root, problem.Index);
            _diagnostics.Error(path, problem.MessageAt(path));
        }

        return Build(root, expansion.Problems.Select(p => p.Name).ToHashSet(StringComparer.Ordinal));
    }

    private LlamaSwapConfig? Build(ConfigNode? root, IReadOnlySet<string> reportedEnvNames)
    {
        MappingNode document;
        switch (root)
        {
            case MappingNode mapping:
                document = mapping;
                break;
            case null or ScalarNode { IsNull: true }:
                document = new MappingNode([], default);
                break;
            default:
                _diagnostics.Error(string.Empty, $"the configuration must be a mapping, got {root.Describe()} at line {root.Span.Line}, column {root.Span.Column}");
                return null;
        }

        KnownKeys.WarnAboutIgnoredKeys(document, string.Empty, KnownKeys.TopLevel, _diagnostics);
        var values = new ValueReader(_diagnostics);
        var globals = MacroReader.Read(document["macros"], "macros", _diagnostics);

        MappingNode top;
        try
        {
            top = MacroSubstituter.Apply(document.Without("macros").Without("models"), globals, _budget);
        }
        catch (MacroExpansionException e)
        {
            _diagnostics.Error("macros", e.Message);
            return null;
        }

        ReportTopLevelLeftovers(top, reportedEnvNames);

        var config = TopLevelReader.Read(top, values);
        var models = ReadModels(document["models"], globals, config, values, reportedEnvNames);
        config = config with { Models = models };
        config = config with { Aliases = AliasIndex.Build(models, _diagnostics) };

        // Declared IDs, not just valid models, so a broken model does not also fail its group or set.
        var router = RouterReader.Read(top, DeclaredModelIds(document["models"]), config, values);
        config = config with { Router = router.Router, Groups = router.Groups, Matrix = router.Matrix };

        config = config with
        {
            Preload = PreloadReader.Read(top["hooks"], config, values),
            Scheduler = RoutingReader.Read(top["routing"], config, values),
            Peers = PeerReader.Read(top["peers"], config, values),
            UpstreamIgnorePaths = UpstreamReader.ReadIgnorePaths(top["upstream"], values),
        };

        // Selectors check their targets against models and peers; profiles may pin to selectors.
        config = config with { Selectors = SelectorReader.Read(top["selectors"], config, values) };
        return config with { Profiles = ProfileReader.Read(top["profiles"], config, values) };
    }

    private SortedDictionary<string, ModelConfig> ReadModels(
        ConfigNode? node,
        IReadOnlyList<Macro> globals,
        LlamaSwapConfig config,
        ValueReader values,
        IReadOnlySet<string> reportedEnvNames)
    {
        var models = new SortedDictionary<string, ModelConfig>(StringComparer.Ordinal);
        var mapping = values.Mapping(node, "models");
        if (mapping is null)
        {
            return models;
        }

        var expander = new ModelExpander(globals, config.StartPort, _diagnostics, reportedEnvNames, _budget);
        var reader = new ModelReader(values, config);

        // Ordinal order is part of the contract: it decides which model gets which ${PORT}.
        foreach (var entry in mapping.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var path = ConfigPath.Child("models", entry.Key);
            var model = values.Mapping(entry.Value, path);
            if (model is null)
            {
                _diagnostics.Error(path, "a model needs at least a cmd");
                continue;
            }

            KnownKeys.WarnAboutIgnoredKeys(model, path, KnownKeys.Model, _diagnostics);
            MappingNode expanded;
            try
            {
                expanded = expander.Expand(entry.Key, model);
            }
            catch (MacroExpansionException e)
            {
                // The budget is spent: every later model would fail the same way.
                _diagnostics.Error(path, e.Message);
                break;
            }

            var modelConfig = reader.Read(entry.Key, expanded);
            if (modelConfig is not null)
            {
                models[entry.Key] = expander.DisabledReasons.TryGetValue(entry.Key, out var reason)
                    ? modelConfig with { DisabledReason = reason }
                    : modelConfig;
            }
        }

        return models;
    }

    private static List<string> DeclaredModelIds(ConfigNode? models)
        => models is MappingNode mapping ? mapping.Entries.Select(e => e.Key).ToList() : [];

    private void ReportTopLevelLeftovers(MappingNode top, IReadOnlySet<string> reportedEnvNames)
    {
        foreach (var (path, name) in LeftoverMacroFinder.Find(top, string.Empty))
        {
            if (!name.StartsWith("env.", StringComparison.Ordinal))
            {
                _diagnostics.Error(path, $"unknown macro '${{{name}}}'");
            }
            else if (!reportedEnvNames.Contains(name[4..]))
            {
                _diagnostics.Error(path, $"environment variable '{name[4..]}' not set");
            }
        }
    }
}
