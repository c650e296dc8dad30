using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlamaSwap.ServiceDefaults.Logging;

internal static class ConsoleLoggingExtensions
{
    // Per-request Information logs of the framework and the forwarder (five lines per health probe)
    // drown the services' own messages; the usual template default is Warning for them.
    private static readonly string[] ChattyCategories = ["Microsoft.AspNetCore", "Yarp"];

    /// <summary>
    /// One line per entry and no timestamp: the AppHost multiplexes every service's output behind a
    /// <c>[service]</c> prefix, and multi-line entries would lose that prefix on their later lines.
    /// </summary>
    public static void AddDefaultConsoleLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = null;
            options.IncludeScopes = false;
        });

        foreach (var category in ChattyCategories)
        {
            // A filter added in code outranks configuration for the same category, so only set a
            // default where configuration (appsettings, Logging__LogLevel__* env) is silent.
            if (builder.Configuration[$"Logging:LogLevel:{category}"] is null)
            {
                builder.Logging.AddFilter(category, LogLevel.Warning);
            }
        }
    }
}
