using System.Text;

namespace LlamaSwap.Gateway.Routing;

/// <summary><c>application/x-www-form-urlencoded</c> bodies: replacing one field while every other pair stays as sent.</summary>
internal static class UrlEncodedForm
{
    /// <summary>The body with every <paramref name="field"/> pair set to <paramref name="value"/>, or null when it has none.</summary>
    public static byte[]? ReplaceField(ReadOnlySpan<byte> body, string field, string value)
    {
        var pairs = Encoding.UTF8.GetString(body).Split('&');
        var replaced = false;
        for (var i = 0; i < pairs.Length; i++)
        {
            var separator = pairs[i].IndexOf('=', StringComparison.Ordinal);
            var key = separator < 0 ? pairs[i] : pairs[i][..separator];
            if (Decode(key) == field)
            {
                pairs[i] = key + "=" + Uri.EscapeDataString(value);
                replaced = true;
            }
        }

        return replaced ? Encoding.UTF8.GetBytes(string.Join('&', pairs)) : null;
    }

    private static string Decode(string component) => Uri.UnescapeDataString(component.Replace('+', ' '));
}
