using LlamaSwap.Core.Configuration.Yaml;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>Reads a <c>timeouts</c> mapping, of a model (reference 1.4) or of a peer (1.8).</summary>
internal static class TimeoutsReader
{
    /// <param name="keys">The keys this owner supports: peers have no <c>expectContinue</c>.</param>
    /// <param name="defaults">Used for absent keys and for values that are reported as invalid.</param>
    public static UpstreamTimeouts Read(
        ConfigNode? node, string path, KnownKeys.KeySet keys, UpstreamTimeouts defaults, ValueReader values)
    {
        var timeouts = values.Mapping(node, path);
        if (timeouts is null)
        {
            return defaults;
        }

        KnownKeys.WarnAboutIgnoredKeys(timeouts, path, keys, values.Diagnostics);
        int Seconds(string key, int fallback)
        {
            if (!keys.Supported.Contains(key))
            {
                return fallback;
            }

            var keyPath = ConfigPath.Child(path, key);
            var value = values.Int(timeouts[key], keyPath) ?? fallback;
            if (value < 0)
            {
                values.Diagnostics.Error(keyPath, $"{key} must be >= 0 (0 disables it), got {value}");
                return fallback;
            }

            return value;
        }

        return new UpstreamTimeouts
        {
            ConnectSeconds = Seconds("connect", defaults.ConnectSeconds),
            KeepAliveSeconds = Seconds("keepalive", defaults.KeepAliveSeconds),
            ResponseHeaderSeconds = Seconds("responseHeader", defaults.ResponseHeaderSeconds),
            TlsHandshakeSeconds = Seconds("tlsHandshake", defaults.TlsHandshakeSeconds),
            ExpectContinueSeconds = Seconds("expectContinue", defaults.ExpectContinueSeconds),
            IdleConnSeconds = Seconds("idleConn", defaults.IdleConnSeconds),
        };
    }
}
