using LlamaSwap.Core.Configuration;

namespace LlamaSwap.Tests.Configuration;

/// <summary>Loads YAML with an explicit environment and asserts on the outcome.</summary>
internal static class ConfigAssert
{
    public static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    public static LlamaSwapConfig Loads(string yaml, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = ConfigLoader.LoadYaml(yaml, environment ?? NoEnvironment);
        Assert.True(result.Succeeded, "unexpected errors:\n" + string.Join('\n', result.Errors));
        return result.Config!;
    }

    public static ConfigLoadResult Fails(string yaml, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = ConfigLoader.LoadYaml(yaml, environment ?? NoEnvironment);
        Assert.False(result.Succeeded);
        Assert.Null(result.Config);
        Assert.NotEmpty(result.Errors);
        return result;
    }

    /// <summary>Asserts an error exists at <paramref name="path"/> whose message contains <paramref name="message"/>.</summary>
    public static void HasError(ConfigLoadResult result, string path, string message)
        => Assert.True(
            result.Errors.Any(e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal)),
            $"no error at '{path}' containing '{message}'; errors:\n" + string.Join('\n', result.Errors));

    public static void HasWarning(ConfigLoadResult result, string path, string message)
        => Assert.True(
            result.Warnings.Any(w => w.Path == path && w.Message.Contains(message, StringComparison.Ordinal)),
            $"no warning at '{path}' containing '{message}'; warnings:\n" + string.Join('\n', result.Warnings));
}
