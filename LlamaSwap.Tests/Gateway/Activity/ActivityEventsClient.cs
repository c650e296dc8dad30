using System.Text.Json;

namespace LlamaSwap.Tests.Gateway.Activity;

/// <summary>The ids of the <c>activity</c> events one <c>/api/events</c> client receives.</summary>
internal sealed class ActivityEventsClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpResponseMessage _response;
    private readonly Task _reading;
    private readonly List<long> _ids = [];

    private ActivityEventsClient(HttpResponseMessage response, Stream stream)
    {
        _response = response;
        _reading = ReadAsync(stream);
    }

    public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long[] Ids
    {
        get
        {
            lock (_ids)
            {
                return [.. _ids];
            }
        }
    }

    public static async Task<ActivityEventsClient> ConnectAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var events = new ActivityEventsClient(response, await response.Content.ReadAsStreamAsync());
        await events.Connected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The stream was closed under the reader.
        }

        _stop.Dispose();
    }

    private async Task ReadAsync(Stream stream)
    {
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            // The snapshot's first frame means the client is registered for live events.
            Connected.TrySetResult();
            using var envelope = JsonDocument.Parse(line["data:".Length..]);
            if (envelope.RootElement.GetProperty("type").GetString() == "activity")
            {
                using var data = JsonDocument.Parse(envelope.RootElement.GetProperty("data").GetString()!);
                lock (_ids)
                {
                    _ids.Add(data.RootElement.GetProperty("id").GetInt64());
                }
            }
        }
    }
}
