using LlamaSwap.Core.Configuration.Loading;
using LlamaSwap.Core.Configuration.Macros;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Merge;

/// <summary>
/// <c>--config</c> plus <c>--config-dir</c> (reference 1.2): each file env-expanded and parsed on
/// its own, merged in order, then loaded as one document. Problems carry the file's name.
/// </summary>
internal static class MultiFileLoader
{
    public static ConfigLoadResult Load(string? configPath, string? configDir, IReadOnlyDictionary<string, string> environment)
    {
        var diagnostics = new DiagnosticBag();
        IReadOnlyList<string> files;
        try
        {
            files = ConfigSources.List(configPath, configDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new ConfigLoadResult(null, [new ConfigDiagnostic(string.Empty, $"cannot read config directory {configDir}: {e.Message}")], []);
        }

        if (configPath is not null && files.Skip(1).Any(f => SameFile(f, configPath)))
        {
            diagnostics.Error(string.Empty, $"{configPath} is given as --config and is also in --config-dir {configDir}");

            // Merged once only, so the error above is not followed by a duplicate for every model in it.
            files = [configPath, .. files.Skip(1).Where(f => !SameFile(f, configPath))];
        }

        ConfigNode? merged = null;
        var merger = new TreeMerger(diagnostics);
        var reportedEnvNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            string text;
            try
            {
                text = ConfigFileText.Read(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                diagnostics.Error(string.Empty, $"cannot read config file {file}: {e.Message}");
                continue;
            }

            var expansion = EnvMacroExpander.Expand(text, environment);
            var fileDiagnostics = new DiagnosticBag();
            var root = YamlTreeReader.Read(expansion.Text, fileDiagnostics, file);
            foreach (var problem in expansion.Problems)
            {
                var path = PathLocator.Locate(root, problem.Index);
                fileDiagnostics.Error(path, problem.MessageAt(path));
                reportedEnvNames.Add(problem.Name);
            }

            foreach (var error in fileDiagnostics.Errors)
            {
                diagnostics.Error(error.Path, $"{file}: {error.Message}");
            }

            if (root is not (null or MappingNode or ScalarNode { IsNull: true }))
            {
                diagnostics.Error(string.Empty, $"{file}: the configuration must be a mapping, got {root.Describe()} at line {root.Span.Line}, column {root.Span.Column}");
                continue;
            }

            merged = merger.Merge(merged, root, file);
        }

        var result = new ConfigBuilder(environment).LoadTree(merged, reportedEnvNames);
        var errors = diagnostics.Errors.Concat(result.Errors).ToList();
        return new ConfigLoadResult(errors.Count == 0 ? result.Config : null, errors, result.Warnings);
    }

    private static bool SameFile(string a, string b)
        => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
