using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlamaSwap.ServiceDefaults.Hosting;

/// <summary>
/// How every LlamaSwap service takes its host settings: bound from configuration, checked by an
/// <see cref="IValidateOptions{TOptions}"/> that reports every bad setting by name, and validated at
/// start-up, so a bad value stops the service before it listens instead of failing a request later.
/// </summary>
public static partial class HostOptionsExtensions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="configuration"/> and validates it with <typeparamref name="TValidator"/> at start-up.</summary>
    public static OptionsBuilder<TOptions> AddHostOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().Bind(configuration).ValidateOnStart();
    }

    /// <summary>
    /// Builds the service and runs the start-up validation now, logging every failure (the host would
    /// throw at the first bad options type, with a stack trace): <c>Main</c> returns 1 when this returns
    /// null. Options read while building (Kestrel's limits) fail inside <paramref name="build"/>, before
    /// a logger exists: those go to standard error.
    /// </summary>
    public static WebApplication? BuildValidated(Func<WebApplication> build)
    {
        WebApplication app;
        try
        {
            app = build();
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                Console.Error.WriteLine($"Cannot start: {failure}");
            }

            return null;
        }

        var failures = HostOptionsFailures(app.Services);
        foreach (var failure in failures)
        {
            Log.CannotStart(app.Logger, failure);
        }

        if (failures.Count == 0)
        {
            return app;
        }

        // Disposing flushes the console logger's queue, so the errors are not lost at exit.
        ((IDisposable)app).Dispose();
        return null;
    }

    /// <summary>Every message of every options type registered with <c>ValidateOnStart</c>; empty when all are valid.</summary>
    public static IReadOnlyList<string> HostOptionsFailures(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return [.. ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)];
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 60, Level = LogLevel.Critical, Message = "Cannot start: {Error}")]
        public static partial void CannotStart(ILogger logger, string error);
    }
}
