using LlamaSwap.Core.Configuration.Commands;
using LlamaSwap.Core.Configuration.Macros;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// Expands one model's subtree: model-local macros, <c>${MODEL_ID}</c>, global macros, then the
/// <c>${PORT}</c> allocation, and finally reports any placeholder left over (reference 1.5, 1.6).
/// </summary>
internal sealed class ModelExpander(
    IReadOnlyList<Macro> globals,
    int startPort,
    DiagnosticBag diagnostics,
    IReadOnlySet<string> reportedEnvNames,
    ExpansionBudget budget)
{
    /// <summary>The default when <c>proxy</c> is not set; it is why a model without <c>${PORT}</c> in cmd must set proxy.</summary>
    public const string DefaultProxy = "http://localhost:${PORT}";

    private const string PortSlug = "${PORT}";

    // Never contacted: a disabled model fails before any process or connection.
    private const string DisabledProxy = "http://disabled.invalid/";

    private readonly Dictionary<string, string> _disabled = new(StringComparer.Ordinal);

    private int _nextPort = startPort;

    /// <summary>Why a model cannot start (it still loads), by model ID.</summary>
    public IReadOnlyDictionary<string, string> DisabledReasons => _disabled;

    /// <summary>
    /// Call in ordinal model-ID order: ports are handed out in that order. Throws
    /// <see cref="MacroExpansionException"/> when the macros grow past the budget.
    /// </summary>
    public MappingNode Expand(string id, MappingNode model)
    {
        var path = ConfigPath.Child("models", id);
        var locals = MacroReader.Read(model["macros"], ConfigPath.Child(path, "macros"), diagnostics);
        model = model.Without("macros");
        model = StripCommentLines(model, "cmd");
        model = StripCommentLines(model, "cmdStop");
        if (model["proxy"] is null or ScalarNode { IsNull: true })
        {
            model = model.With("proxy", new ScalarNode(DefaultProxy, ScalarKind.String, model.Span));
        }

        var byIdKeys = SetParamsByIdKeys.Of(model);
        var macros = EffectiveMacros(id, locals);
        model = MacroSubstituter.Apply(model, macros, budget);
        model = SetParamsByIdKeys.Expand(model, macros, budget);

        var cmdHasPort = TextOf(model["cmd"]).Contains(PortSlug, StringComparison.Ordinal);
        var proxyHasPort = TextOf(model["proxy"]).Contains(PortSlug, StringComparison.Ordinal);
        if (proxyHasPort && !cmdHasPort)
        {
            // llama-swap refuses the whole file here, yet its own example config has such a model.
            // We load the file and disable only this model: it answers every request with this reason.
            var reason = $"model {id}: proxy uses ${{PORT}} but cmd does not - ${{PORT}} is only available when used in cmd";
            diagnostics.Warning(ConfigPath.Child(path, "proxy"), reason + " (model disabled until fixed)");
            _disabled[id] = reason;
            model = model.With("proxy", new ScalarNode(DisabledProxy, ScalarKind.String, model.Span));
        }

        if (cmdHasPort)
        {
            var port = new Macro("PORT", _nextPort.ToString(System.Globalization.CultureInfo.InvariantCulture), ScalarKind.Int);
            model = MacroSubstituter.Apply(model, [port], budget);
            model = SetParamsByIdKeys.Expand(model, [port], budget);
            _nextPort++;
        }

        model = SetParamsByIdKeys.RemoveCollisions(id, byIdKeys, model, diagnostics);

        ReportLeftovers(id, model);
        return model;
    }

    // MODEL_ID first, then globals in declaration order; a local macro replaces a same-named
    // global in place so declaration order (and thus what may reference what) is preserved.
    private List<Macro> EffectiveMacros(string id, List<Macro> locals)
    {
        var macros = new List<Macro> { new("MODEL_ID", id, ScalarKind.String) };
        macros.AddRange(globals);
        foreach (var local in locals)
        {
            var index = macros.FindIndex(m => m.Name == local.Name);
            if (index >= 0)
            {
                macros[index] = local;
            }
            else
            {
                macros.Add(local);
            }
        }

        return macros;
    }

    private void ReportLeftovers(string id, MappingNode model)
    {
        var modelPath = ConfigPath.Child("models", id);
        foreach (var (path, name) in LeftoverMacroFinder.Find(model, modelPath).Concat(SetParamsByIdKeys.FindLeftovers(model, modelPath)))
        {
            var relative = path[(modelPath.Length + 1)..];

            // ${PID} is filled in when the stop command runs.
            if (name == "PID" && relative == "cmdStop")
            {
                continue;
            }

            if (name.StartsWith("env.", StringComparison.Ordinal))
            {
                if (!reportedEnvNames.Contains(name[4..]))
                {
                    diagnostics.Error(path, $"environment variable '{name[4..]}' not set");
                }

                continue;
            }

            var message = name == "PORT"
                ? $"macro '${{PORT}}' should have been substituted in {id}.{relative}"
                : $"unknown macro '${{{name}}}' found in {id}.{relative}";
            diagnostics.Error(path, message);
        }
    }

    private static MappingNode StripCommentLines(MappingNode model, string key)
        => model[key] is ScalarNode { Kind: ScalarKind.String } scalar
            ? model.With(key, scalar with { Text = CommandLine.StripCommentLines(scalar.Text) })
            : model;

    private static string TextOf(ConfigNode? node) => node is ScalarNode scalar ? scalar.Text : string.Empty;
}
