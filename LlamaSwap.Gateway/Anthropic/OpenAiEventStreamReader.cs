using System.Runtime.CompilerServices;
using System.Text;

namespace LlamaSwap.Gateway.Anthropic;

/// <summary>
/// Yields the <c>data</c> of each server-sent event as soon as its terminating blank line arrives,
/// so translated events go out chunk by chunk rather than when the upstream finishes.
/// </summary>
internal static class OpenAiEventStreamReader
{
    public static async IAsyncEnumerable<string> ReadDataAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return data.ToString();
                    data.Clear();
                    hasData = false;
                }

                continue;
            }

            // Other fields (event:, id:, retry:) and comments carry nothing an OpenAI stream needs.
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            var value = line.AsSpan(5);
            if (value.Length > 0 && value[0] == ' ')
            {
                value = value[1..];
            }

            if (hasData)
            {
                data.Append('\n');
            }

            data.Append(value);
            hasData = true;
        }

        // A server that closes without the final blank line still sent its last event.
        if (hasData)
        {
            yield return data.ToString();
        }
    }
}
