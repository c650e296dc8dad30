using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Gateway.Models;

/// <summary>
/// Renders <c>capabilities</c> as the OpenRouter-style fields clients read from <c>/v1/models</c>
/// (reference section 2.2).
/// </summary>
internal static class CapabilityRendering
{
    private const string Text = "text";
    private const string Audio = "audio";
    private const string Image = "image";

    // Rendered from capabilities, so user metadata of the same names would only contradict them.
    private static readonly HashSet<string> RenderedKeys = new(StringComparer.Ordinal)
    {
        "architecture", "capabilities", "supported_parameters", "context_length",
    };

    private static readonly string[] ToolParameters = ["tools", "tool_choice"];

    /// <summary>Whether user metadata under this key is dropped when capabilities are configured.</summary>
    public static bool IsRenderedKey(string key) => RenderedKeys.Contains(key);

    public static ModelListEntry Apply(ModelListEntry entry, ModelCapabilities? capabilities)
    {
        if (capabilities is null)
        {
            return entry;
        }

        var inputs = capabilities.In;
        var outputs = capabilities.Out;
        var flags = new Dictionary<string, bool>(StringComparer.Ordinal);
        void Flag(string name, bool on)
        {
            if (on)
            {
                flags[name] = true;
            }
        }

        Flag("vision", inputs.Contains(Image));
        Flag("audio_transcriptions", inputs.Contains(Audio) && outputs.Contains(Text));
        Flag("audio_speech", inputs.Contains(Text) && outputs.Contains(Audio));
        Flag("image_generation", inputs.Contains(Text) && outputs.Contains(Image));
        Flag("image_to_image", inputs.Contains(Image) && outputs.Contains(Image));
        Flag("function_calling", capabilities.Tools);
        Flag("reranker", capabilities.Reranker);

        return entry with
        {
            Architecture = inputs.Count == 0 && outputs.Count == 0
                ? null
                : new ModelArchitecture(
                    inputs.Count > 0 ? inputs : null,
                    outputs.Count > 0 ? outputs : null,
                    inputs.Count > 0 && outputs.Count > 0 ? $"{string.Join('+', inputs)}->{string.Join('+', outputs)}" : null),
            Capabilities = flags.Count > 0 ? flags : null,
            SupportedParameters = capabilities.Tools ? ToolParameters : null,
            ContextLength = capabilities.Context > 0 ? capabilities.Context : null,
        };
    }
}
