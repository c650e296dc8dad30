using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LlamaSwap.ServiceDefaults.Hosting;

/// <summary>
/// The checks every service's host-options validator uses, so a bad value reads the same in all
/// three: the configuration key, its environment-variable form, what was expected and what was given.
/// </summary>
public sealed class SettingChecks
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>An absolute http or https URL (a service's address); null or blank only when not <paramref name="required"/>.</summary>
    public SettingChecks HttpUrl(string key, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Fail(key, "must be set to an absolute http(s) URL");
            }
        }
        else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            Fail(key, $"must be an absolute http(s) URL, got '{value}'");
        }

        return this;
    }

    /// <summary>A StackExchange.Redis connection string, when set (unset means no Redis).</summary>
    public SettingChecks RedisConnectionString(string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            try
            {
                var options = ConfigurationOptions.Parse(value);
                if (options.EndPoints.Count == 0)
                {
                    Fail(key, $"names no Redis endpoint, got '{value}'");
                }
            }
            catch (ArgumentException ex)
            {
                Fail(key, $"is not a Redis connection string: {ex.Message}");
            }
        }

        return this;
    }

    /// <summary>A file that exists, when set.</summary>
    public SettingChecks ExistingFile(string key, string? path)
    {
        if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
        {
            Fail(key, $"names a file that does not exist: '{path}'");
        }

        return this;
    }

    /// <summary>A directory that exists, when set.</summary>
    public SettingChecks ExistingDirectory(string key, string? path)
    {
        if (!string.IsNullOrWhiteSpace(path) && !Directory.Exists(path))
        {
            Fail(key, $"names a directory that does not exist: '{path}'");
        }

        return this;
    }

    /// <summary>A number greater than zero.</summary>
    public SettingChecks Positive(string key, double value)
    {
        if (!(value > 0))
        {
            Fail(key, $"must be greater than 0, got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        return this;
    }

    /// <summary>A duration greater than zero.</summary>
    public SettingChecks Positive(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            Fail(key, $"must be a positive duration, got {value}");
        }

        return this;
    }

    /// <summary>A duration longer than <paramref name="minimum"/> (Kestrel refuses, at start-up, rate grace periods of 1 s or less).</summary>
    public SettingChecks Longer(string key, TimeSpan value, TimeSpan minimum)
    {
        if (value <= minimum)
        {
            Fail(key, $"must be longer than {minimum}, got {value}");
        }

        return this;
    }

    /// <summary>Every failure so far, or success.</summary>
    public ValidateOptionsResult Result()
        => _errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors);

    /// <summary>Names the setting both ways: <c>a:b:0</c> in configuration, <c>a__b__0</c> in the environment.</summary>
    private void Fail(string key, string problem)
        => _errors.Add(key.Contains(':', StringComparison.Ordinal) ? $"{key} ({key.Replace(":", "__", StringComparison.Ordinal)}) {problem}" : $"{key} {problem}");
}
