using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>
/// Reads <c>apiKeys</c>: plain strings (full-access keys, as in llama-swap) and key mappings with a
/// name, model globs, scopes, limits and an expiry. Only hashes are kept for mapping keys.
/// </summary>
internal static partial class ApiKeyReader
{
    private const string Section = "apiKeys";
    private const string HashPrefix = "sha256:";

    // A typo such as "scope:" must not silently grant every scope: unknown keys are errors here.
    private static readonly string[] EntryKeys =
        ["key", "sha256", "name", "models", "scopes", "requestsPerMinute", "tokensPerMinute", "maxConcurrent", "expires"];

    public static (List<string> Plain, List<ApiKeyConfig> Definitions) Read(ConfigNode? node, ValueReader values)
    {
        var plain = new List<string>();
        var definitions = new List<(ApiKeyConfig Key, string Path, bool IsPlain)>();
        if (node is null or ScalarNode { IsNull: true })
        {
            return (plain, []);
        }

        if (node is not SequenceNode sequence)
        {
            values.Diagnostics.Error(Section, $"expected a list of keys, got {node.Describe()}");
            return (plain, []);
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var path = ConfigPath.Index(Section, i);
            switch (sequence.Items[i])
            {
                case MappingNode mapping:
                    if (ReadMapping(mapping, path, values) is { } key)
                    {
                        definitions.Add((key, path, false));
                    }

                    break;
                case ScalarNode scalar:
                    if (CheckSecret(scalar.IsNull ? "" : scalar.Text, path, values.Diagnostics) is { } secret)
                    {
                        plain.Add(secret);
                        definitions.Add((ApiKeyConfig.Unrestricted(secret), path, true));
                    }

                    break;
                default:
                    values.Diagnostics.Error(path, $"expected a key string or a key mapping, got {sequence.Items[i].Describe()}");
                    break;
            }
        }

        return (plain, Deduplicate(definitions, values.Diagnostics));
    }

    private static ApiKeyConfig? ReadMapping(MappingNode mapping, string path, ValueReader values)
    {
        var diagnostics = values.Diagnostics;
        var errorsBefore = diagnostics.Errors.Count;
        foreach (var entry in mapping.Entries.Where(e => !EntryKeys.Contains(e.Key, StringComparer.Ordinal)))
        {
            diagnostics.Error(ConfigPath.Child(path, entry.Key), $"{KnownKeys.UnknownKey(entry, EntryKeys)} in an api key definition");
        }

        var hash = ReadHash(mapping, path, values);
        var name = ReadName(mapping, path, values);
        var models = ReadModels(mapping, path, values);
        var scopes = ReadScopes(mapping, path, values);
        var requestsPerMinute = Positive(mapping, path, "requestsPerMinute", values);
        var tokensPerMinute = Positive(mapping, path, "tokensPerMinute", values);
        var maxConcurrent = Positive(mapping, path, "maxConcurrent", values);
        var expires = ReadExpires(mapping, path, values);
        if (hash is null || diagnostics.Errors.Count > errorsBefore)
        {
            return null;
        }

        return new ApiKeyConfig
        {
            Name = name ?? ApiKeyConfig.FingerprintName(hash),
            Sha256 = hash,
            Models = models,
            Scopes = scopes,
            RequestsPerMinute = requestsPerMinute,
            TokensPerMinute = tokensPerMinute,
            MaxConcurrent = maxConcurrent,
            Expires = expires,
        };
    }

    private static byte[]? ReadHash(MappingNode mapping, string path, ValueReader values)
    {
        var keyPath = ConfigPath.Child(path, "key");
        var hashPath = ConfigPath.Child(path, "sha256");
        var key = values.String(mapping["key"], keyPath);
        var hex = values.String(mapping["sha256"], hashPath);
        if (mapping.ContainsKey("key") && mapping.ContainsKey("sha256"))
        {
            values.Diagnostics.Error(path, "give either key or sha256, not both");
            return null;
        }

        if (key is not null && key.StartsWith(HashPrefix, StringComparison.Ordinal))
        {
            return ParseHex(key[HashPrefix.Length..], keyPath, values.Diagnostics);
        }

        if (key is not null)
        {
            return CheckSecret(key, keyPath, values.Diagnostics) is { } secret ? SHA256.HashData(Encoding.UTF8.GetBytes(secret)) : null;
        }

        if (hex is not null)
        {
            return ParseHex(hex, hashPath, values.Diagnostics);
        }

        if (!mapping.ContainsKey("key") && !mapping.ContainsKey("sha256"))
        {
            values.Diagnostics.Error(path, "an api key definition needs key or sha256");
        }
        else
        {
            values.Diagnostics.Error(mapping.ContainsKey("key") ? keyPath : hashPath, "must not be empty");
        }

        return null;
    }

    private static byte[]? ParseHex(string hex, string path, DiagnosticBag diagnostics)
    {
        if (HexDigest().IsMatch(hex))
        {
            return Convert.FromHexString(hex);
        }

        diagnostics.Error(path, "a SHA-256 hash must be 64 hexadecimal digits");
        return null;
    }

    private static string? CheckSecret(string key, string path, DiagnosticBag diagnostics)
    {
        if (key.Length == 0)
        {
            diagnostics.Error(path, "empty api key found in apiKeys");
            return null;
        }

        if (key.Any(char.IsWhiteSpace))
        {
            diagnostics.Error(path, "api key cannot contain spaces");
            return null;
        }

        return key;
    }

    private static string? ReadName(MappingNode mapping, string path, ValueReader values)
    {
        var namePath = ConfigPath.Child(path, "name");
        var name = values.String(mapping["name"], namePath);
        if (name is not null && !KeyName().IsMatch(name))
        {
            // The name travels in a header and labels usage and metrics: keep it a plain token.
            values.Diagnostics.Error(namePath, $"name \"{name}\" must be 1-64 letters, digits, '.', '_' or '-'");
            return null;
        }

        return name;
    }

    private static IReadOnlyList<string> ReadModels(MappingNode mapping, string path, ValueReader values)
    {
        var modelsPath = ConfigPath.Child(path, "models");
        var models = values.StringList(mapping["models"], modelsPath);
        if (models is null)
        {
            return ["*"];
        }

        if (models.Count == 0)
        {
            values.Diagnostics.Error(modelsPath, "models must not be empty (leave it out for every model)");
        }

        for (var i = 0; i < models.Count; i++)
        {
            if (string.IsNullOrEmpty(models[i]))
            {
                values.Diagnostics.Error(ConfigPath.Index(modelsPath, i), "empty model pattern");
            }
        }

        return models.Where(m => !string.IsNullOrEmpty(m)).Select(m => m!).ToList();
    }

    private static ApiKeyScopes ReadScopes(MappingNode mapping, string path, ValueReader values)
    {
        var scopesPath = ConfigPath.Child(path, "scopes");
        var items = values.StringList(mapping["scopes"], scopesPath);
        if (items is null)
        {
            return ApiKeyScopes.All;
        }

        if (items.Count == 0)
        {
            values.Diagnostics.Error(scopesPath, "scopes must not be empty (leave it out for every scope)");
        }

        var scopes = ApiKeyScopes.None;
        for (var i = 0; i < items.Count; i++)
        {
            scopes |= items[i] switch
            {
                "inference" => ApiKeyScopes.Inference,
                "read" => ApiKeyScopes.Read,
                "admin" => ApiKeyScopes.Admin,
                var unknown => UnknownScope(unknown, ConfigPath.Index(scopesPath, i), values.Diagnostics),
            };
        }

        return scopes;
    }

    private static ApiKeyScopes UnknownScope(string? scope, string path, DiagnosticBag diagnostics)
    {
        diagnostics.Error(path, $"unknown scope \"{scope}\" (expected inference, read or admin)");
        return ApiKeyScopes.None;
    }

    private static int? Positive(MappingNode mapping, string path, string key, ValueReader values)
    {
        var valuePath = ConfigPath.Child(path, key);
        var value = values.Int(mapping[key], valuePath);
        if (value is <= 0)
        {
            values.Diagnostics.Error(valuePath, $"{key} must be a positive integer, got {value}");
            return null;
        }

        return value;
    }

    private static DateTimeOffset? ReadExpires(MappingNode mapping, string path, ValueReader values)
    {
        var expiresPath = ConfigPath.Child(path, "expires");
        var text = values.String(mapping["expires"], expiresPath)?.Trim();
        if (text is null)
        {
            return null;
        }

        // RFC 3339 only: an explicit offset, so a key never expires in the server's local time zone.
        if (Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
        {
            return expires;
        }

        values.Diagnostics.Error(expiresPath, $"expected an RFC 3339 timestamp such as 2026-12-31T23:59:59Z, got \"{text}\"");
        return null;
    }

    private static List<ApiKeyConfig> Deduplicate(List<(ApiKeyConfig Key, string Path, bool IsPlain)> definitions, DiagnosticBag diagnostics)
    {
        var result = new List<ApiKeyConfig>();
        var byHash = new Dictionary<string, (ApiKeyConfig Key, string Path, bool IsPlain)>(StringComparer.Ordinal);
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in definitions)
        {
            var hex = Convert.ToHexString(entry.Key.Sha256);
            if (byHash.TryGetValue(hex, out var first))
            {
                // The same plain key twice is harmless (llama-swap accepts it); otherwise one secret
                // would stand for two definitions and which one applies would be a guess.
                if (!(entry.IsPlain && first.IsPlain))
                {
                    diagnostics.Error(entry.Path, $"the same key is already defined at {first.Path}");
                }

                continue;
            }

            byHash[hex] = entry;
            if (byName.TryGetValue(entry.Key.Name, out var firstPath))
            {
                diagnostics.Error(ConfigPath.Child(entry.Path, "name"), $"duplicate key name \"{entry.Key.Name}\" (also at {firstPath})");
                continue;
            }

            byName[entry.Key.Name] = entry.Path;
            result.Add(entry.Key);
        }

        return result;
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex HexDigest();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyName();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
