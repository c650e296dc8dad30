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
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"served after {clock.Elapsed}: the stream did not keep the other model busy");
        // ...and once past it, only the in-flight request (300 ms) and the start stand in the way.
        var bound = TimeSpan.FromSeconds(2) + startTime + TimeSpan.FromSeconds(0.8);
        Assert.True(clock.Elapsed <= bound, $"served after {clock.Elapsed}, bound {bound} (start took {startTime})");
        Assert.True(stream.Completed > 4, $"the stream completed only {stream.Completed} requests");
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

            Assert.NotSame(waiting, finished);
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

    /// <summary>Two staggered loops of 300 ms requests: the model always has one in flight.</summary>
    private sealed class SteadyStream : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _loops = [];
        private int _completed;

        public int Completed => Volatile.Read(ref _completed);

        public static async Task<SteadyStream> StartAsync(LlamaSwapStack stack, string model)
        {
            using (var warm = await PostAsync(stack, model, CancellationToken.None))
            {
                Assert.True(warm.IsSuccessStatusCode);
            }

            var stream = new SteadyStream();
            stream._loops.Add(stream.LoopAsync(stack, model));
            await Task.Delay(150);
            stream._loops.Add(stream.LoopAsync(stack, model));
            await Task.Delay(150);
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
                    using var response = await PostAsync(stack, model, _stop.Token, waitMs: 300);
                    Assert.True(response.IsSuccessStatusCode, $"stream request failed: {(int)response.StatusCode}");
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
