using System.Diagnostics;
using System.Text;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>
/// A steady stream for one model and a single request for another in the same swap group:
/// llama-swap starves the single request; <c>fifo.maxWait</c> bounds its wait.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class StarvationTests
{
    private static string Yaml(int maxWait) => $$$"""
        healthCheckTimeout: 30
        startPort: {{startPort}}
        apiKeys: ["{{{LlamaSwapStack.ApiKey}}}"]
        models:
          busy:
            cmd: {{{LlamaSwapStack.UpstreamCommand("busy")}}}
          waiting:
            cmd: {{{LlamaSwapStack.UpstreamCommand("waiting", "--startup-delay-ms 300")}}}
        routing:
          scheduler:
            settings:
              fifo:
                maxWait: {{{maxWait}}}
        """;

    [Fact]
    public async Task MaxWait_SteadyStreamForOneModel_OtherModelIsServedWithinMaxWaitPlusItsStart()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml(maxWait: 2));
        await using var stream = await SteadyStream.StartAsync(stack, "busy");

        var clock = Stopwatch.StartNew();
        using var response = await PostAsync(stack, "waiting", CancellationToken.None);
        clock.Stop();

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var events = stack.EventsOf("waiting");
        var started = events.First(e => e.GetProperty("event").GetString() == "started").GetProperty("time").GetDateTime();
        var healthy = events.First(e => e.GetProperty("event").GetString() == "healthy").GetProperty("time").GetDateTime();
        var startTime = healthy - started;
        // The stream kept "busy" loaded the whole time, so the wait cannot be shorter than maxWait...
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"served after {clock.Elapsed}: the stream did not keep the other model busy; its arrivals at the upstream: {string.Join(", ", stack.RequestsReceivedBy("busy").Select(r => r.GetProperty("time").GetDateTime().ToString("ss.fff")))}");
        // ...and once past it, only the requests in flight (1.5 s each) and the start stand in the way.
        var bound = TimeSpan.FromSeconds(2) + startTime + TimeSpan.FromSeconds(2);
        Assert.True(clock.Elapsed <= bound, $"served after {clock.Elapsed}, bound {bound} (start took {startTime})");
        Assert.True(stream.Completed >= 3, $"the stream completed only {stream.Completed} requests");
        Assert.Empty(stream.Failures);
    }

    [Fact]
    public async Task MaxWaitOff_SteadyStreamForOneModel_StarvesTheOther_AsLlamaSwapDoes()
    {
        await using var stack = await LlamaSwapStack.StartAsync(Yaml(maxWait: 0));
        Task<HttpResponseMessage> waiting;
        await using (var stream = await SteadyStream.StartAsync(stack, "busy"))
        {
            waiting = PostAsync(stack, "waiting", CancellationToken.None);
            var finished = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(4)));

            if (ReferenceEquals(waiting, finished))
            {
                // Say how it ended: served (a gap in the stream) or answered with an error.
                string answer;
                try
                {
                    using var ended = await waiting;
                    answer = $"{(int)ended.StatusCode} {await ended.Content.ReadAsStringAsync()}";
                }
                catch (HttpRequestException ex)
                {
                    answer = ex.Message;
                }

                Assert.Fail($"the other model's request ended during the stream ({answer}); refused stream requests: [{string.Join(" || ", stream.Failures)}]; the stream's arrivals at the upstream: {string.Join(", ", stack.RequestsReceivedBy("busy").Select(r => r.GetProperty("time").GetDateTime().ToString("ss.fff")))}; the other model's: {string.Join(", ", stack.RequestsReceivedBy("waiting").Select(r => r.GetProperty("time").GetDateTime().ToString("ss.fff")))}");
            }

            Assert.Equal(0, stack.StartsOf("waiting"));
        }

        using var response = await waiting.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(response.IsSuccessStatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(LlamaSwapStack stack, string model, CancellationToken cancellationToken, int waitMs = 0)
    {
        var body = $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""";
        var query = waitMs > 0 ? $"?wait={waitMs}" : "";
        return stack.Client.PostAsync(stack.FrontDoor + "/v1/chat/completions" + query, new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
    }

    /// <summary>Staggered loops of long requests: the model always has requests in flight.</summary>
    private sealed class SteadyStream : IAsyncDisposable
    {
        // Long requests: a gap needs every loop stalled for over a second at once. On a loaded
        // two-core machine client turnarounds were seen to stall ~300 ms, which emptied a stream
        // of 400 ms requests.
        private const int RequestMs = 1500;

        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _loops = [];
        private int _completed;

        public int Completed => Volatile.Read(ref _completed);

        public System.Collections.Concurrent.ConcurrentBag<string> Failures { get; } = [];

        public static async Task<SteadyStream> StartAsync(LlamaSwapStack stack, string model)
        {
            using (var warm = await PostAsync(stack, model, CancellationToken.None))
            {
                Assert.True(warm.IsSuccessStatusCode);
            }

            // Three loops a third of a request apart: a gap needs all three between requests at once
            // (two loops drifted into phase once and let the other model in).
            var stream = new SteadyStream();
            for (var i = 0; i < 3; i++)
            {
                // Off xunit's synchronization context, which runs continuations on as many threads as
                // there are cores for all running tests: queued behind others, the loops once stalled
                // together for half a second and left the model idle.
                stream._loops.Add(Task.Run(() => stream.LoopAsync(stack, model)));
                await Task.Delay(RequestMs / 3);
            }

            return stream;
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await Task.WhenAll(_loops);
            _stop.Dispose();
        }

        private async Task LoopAsync(LlamaSwapStack stack, string model)
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await PostAsync(stack, model, _stop.Token, waitMs: RequestMs);
                    if (!response.IsSuccessStatusCode)
                    {
                        Failures.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }

                    Interlocked.Increment(ref _completed);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }
}
