using System.ClientModel;
using System.Diagnostics;
using System.Text;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlamaSwap.Tests.EndToEnd.RealLlamaServer;

/// <summary>Starting, swapping, unloading and losing a real llama-server, as the supervisor sees it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RealLlamaServerLifecycleTests
{
    [LlamaServerTheory]
    [MemberData(nameof(SharedLlamaServer.Builds), MemberType = typeof(SharedLlamaServer))]
    public async Task Swap_InAnExclusiveGroup_StopsTheOther_AndTheHeadersAccountForTheWait(string build)
    {
        await using var stack = await RealLlamaServerStack.StartAsync(build);

        // Warm the path (JIT, the client's connection, read to the end so it is reused): what is timed is the swap alone.
        for (var i = 0; i < 3; i++)
        {
            using var warm = await PostChatAsync(stack, "chat");
            Assert.True(warm.IsSuccessStatusCode, stack.Diagnostics());
            await warm.Content.ReadAsStringAsync();
        }

        var chatPid = RealLlamaServerStack.LlamaServerOf(stack, "chat");
        Assert.NotNull(chatPid);

        var clock = Stopwatch.StartNew();
        using var swapped = await PostChatAsync(stack, "other");
        var waited = clock.Elapsed.TotalMilliseconds;

        Assert.True(swapped.IsSuccessStatusCode, stack.Diagnostics());
        Assert.False(ProcFs.IsAlive(chatPid.Value), "the exclusive group's other model must be stopped before the swap answers");
        Assert.Equal(["other"], await stack.RunningAsync());
        Assert.Single(RealLlamaServerStack.LlamaServers(stack));

        var timing = TimingHeaders.Read(swapped);
        var detail = timing.Against(waited);
        Assert.True(timing.Load > 0, "a swap loads: " + detail);
        Assert.True(timing.Sum <= waited, "the headers claim more than the client waited: " + detail);
        Assert.True(waited - timing.Sum < 50, "the headers under-report the wait: " + detail);

        // llama-server is healthy 0.1-0.2 s after spawn here; the stall this guards against was 4.5 s
        // (idle health-check connections holding all of b4750's three HTTP threads).
        Assert.True(waited < 2000, "the swap stalled: " + detail);
    }

    [LlamaServerFact]
    public async Task Ttl_UnloadsTheLlamaServer()
    {
        await using var stack = await RealLlamaServerStack.StartAsync(SharedLlamaServer.B4750);
        var pid = await LoadAsync(stack, "short-ttl");

        await Eventually.TrueAsync(() => !ProcFs.IsAlive(pid), "the ttl of 1 s stopped llama-server", TimeSpan.FromSeconds(15));
        await Eventually.TrueAsync(async () => (await stack.RunningAsync()).Count == 0, "nothing is reported running after the ttl");
        Assert.Empty(RealLlamaServerStack.LlamaServers(stack));
    }

    [LlamaServerTheory]
    [MemberData(nameof(SharedLlamaServer.Builds), MemberType = typeof(SharedLlamaServer))]
    public async Task KilledMidStream_TheClientSeesTheStreamBreak_AndTheNextRequestRestartsIt(string build)
    {
        await using var stack = await RealLlamaServerStack.StartAsync(build);
        var chat = RealLlamaServerStack.OpenAi(stack).GetChatClient("long");

        // The kill goes out when the first token reaches the client. b10309 stops at the model's
        // 512-token context (a few hundred ms), so on a busy machine it may have written its whole
        // stream before the kill lands; such a run proves nothing and is tried again (at most 3 times).
        int? killed = null;
        var landed = false;
        for (var attempt = 1; attempt <= 3 && !landed; attempt++)
        {
            await Eventually.TrueAsync(async () => (await stack.RunningAsync()).Count == 0, "nothing runs before the stream starts");
            killed = null;
            ChatFinishReason? finish = null;
            var broke = false;
            try
            {
                await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("go on")], new ChatCompletionOptions { MaxOutputTokenCount = 4000 }))
                {
                    finish ??= update.FinishReason;
                    if (killed is null && update.ContentUpdate.Count > 0)
                    {
                        killed = RealLlamaServerStack.LlamaServerOf(stack, "long") ?? throw new InvalidOperationException("no llama-server for long\n" + stack.Diagnostics());
                        PosixSignals.SignalProcess(killed.Value, PosixSignals.SigKill);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or ClientResultException)
            {
                broke = true;
            }

            Assert.NotNull(killed);

            // A finish reason comes only from llama-server itself: with one, it had finished before the kill.
            landed = finish is null || broke;
            if (landed)
            {
                Assert.True(broke, "llama-server was killed mid-stream, but the client's stream ended without an error");
            }
        }

        Assert.True(landed, "in 3 tries llama-server always finished its stream before the kill landed");
        await Eventually.TrueAsync(async () => (await stack.RunningAsync()).Count == 0, "the supervisor saw llama-server die");

        ChatCompletion again = await chat.CompleteChatAsync([new UserChatMessage("again")], new ChatCompletionOptions { MaxOutputTokenCount = 4 });

        RealLlamaServerApiTests.AssertTokenLimit(build, 4, again.Usage.OutputTokenCount);
        var restarted = RealLlamaServerStack.LlamaServerOf(stack, "long");
        Assert.NotNull(restarted);
        Assert.NotEqual(killed, restarted);
    }

    [LlamaServerFact]
    public async Task SupervisorKilledMidStream_TheStreamFinishes_AndTheNextSupervisorAdoptsLlamaServer()
    {
        await using var stack = await RealLlamaServerStack.StartAsync(SharedLlamaServer.B4750);
        var chat = RealLlamaServerStack.OpenAi(stack).GetChatClient("long");

        // The supervisor dies when the first token reaches the client; llama-server goes on writing.
        int? pid = null;
        ChatFinishReason? finish = null;
        var updatesAfterKill = 0;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("go on")], new ChatCompletionOptions { MaxOutputTokenCount = 2000 }))
        {
            finish ??= update.FinishReason;
            if (pid is not null)
            {
                updatesAfterKill++;
            }
            else if (update.ContentUpdate.Count > 0)
            {
                pid = RealLlamaServerStack.LlamaServerOf(stack, "long") ?? throw new InvalidOperationException("no llama-server for long\n" + stack.Diagnostics());
                await stack.Supervisor.KillAsync();
            }
        }

        Assert.NotNull(pid);
        Assert.NotNull(finish);
        Assert.True(updatesAfterKill > 0, "the stream went on after the supervisor died (and ended with a finish reason)");
        Assert.True(ProcFs.IsAlive(pid.Value), "llama-server outlived its supervisor");

        await stack.RestartSupervisorAsync();

        Assert.Contains($"long: adopted upstream pid {pid} left running by supervisor pid", stack.Supervisor.Output, StringComparison.Ordinal);
        Assert.Equal(pid, (await stack.SupervisorStateOfAsync("long")).Pid);
        Assert.Equal(["long"], await stack.RunningAsync());

        ChatCompletion again = await chat.CompleteChatAsync([new UserChatMessage("again")], new ChatCompletionOptions { MaxOutputTokenCount = 4 });

        Assert.NotEmpty(again.Content);
        Assert.Equal([pid.Value], RealLlamaServerStack.AnyLlamaServerOf(stack, "long"));

        await stack.UnloadAllAsync();

        Assert.False(ProcFs.IsAlive(pid.Value), "unload stopped the adopted llama-server");
        Assert.Empty(RealLlamaServerStack.AnyLlamaServerOf(stack, "long"));
        Assert.Empty(await stack.RunningAsync());
    }

    [LlamaServerFact]
    public async Task Unload_WhereLlamaServerAbortsOnSigterm_IsANormalStop()
    {
        // b4750 aborts (exit 134) on SIGTERM: that is how it stops, not a crash.
        await using var stack = await RealLlamaServerStack.StartAsync(SharedLlamaServer.B4750);
        var pid = await LoadAsync(stack, "chat");

        await stack.UnloadAllAsync();

        Assert.False(ProcFs.IsAlive(pid));
        Assert.Empty(await stack.RunningAsync());
        await Eventually.TrueAsync(
            () => stack.Supervisor.Output.Contains($"upstream pid {pid} exited with code 134", StringComparison.Ordinal),
            "the supervisor logged llama-server's abort as its exit");
        Assert.DoesNotContain("exited unexpectedly", stack.Supervisor.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("exited prematurely", stack.Supervisor.Output, StringComparison.Ordinal);

        using var again = await PostChatAsync(stack, "chat");
        Assert.True(again.IsSuccessStatusCode, stack.Diagnostics());
    }

    [LlamaServerFact]
    public async Task AppHostStop_LeavesNoLlamaServer()
    {
        var work = Directory.CreateTempSubdirectory("llamaswap-apphost-llama-").FullName;
        try
        {
            var port = FreePorts.Block(2);
            var config = Path.Combine(work, "config.yaml");
            await File.WriteAllTextAsync(config, $"""
                healthCheckTimeout: 60
                startPort: {port}
                models:
                  tiny:
                    cmd: {SharedLlamaServer.Command(SharedLlamaServer.B4750)}
                """);
            await using var appHost = await RunningAppHost.StartAsync(config);
            await appHost.ChatAsync("tiny");
            var marker = $"--port {port}";
            var llamaServer = Assert.Single(ProcessTree.WithCommandLine(marker), pid => ProcessTree.CommandLine(pid).Contains("llama-server", StringComparison.Ordinal));

            PosixSignals.SignalProcess(appHost.Pid, PosixSignals.SigTerm);

            Assert.Equal(0, await appHost.WaitForExitAsync());
            Assert.False(ProcFs.IsAlive(llamaServer), $"llama-server {llamaServer} outlived the AppHost\n{appHost.Output}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Loads <paramref name="model"/> with one request; its llama-server's pid.</summary>
    private static async Task<int> LoadAsync(LlamaSwapStack stack, string model)
    {
        using var response = await PostChatAsync(stack, model);
        Assert.True(response.IsSuccessStatusCode, stack.Diagnostics());
        return RealLlamaServerStack.LlamaServerOf(stack, model) ?? throw new InvalidOperationException($"no llama-server runs for {model}\n{stack.Diagnostics()}");
    }

    private static Task<HttpResponseMessage> PostChatAsync(LlamaSwapStack stack, string model)
        => stack.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, stack.FrontDoor + "/v1/chat/completions")
            {
                Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}],"max_tokens":1}""", Encoding.UTF8, "application/json"),
            },
            HttpCompletionOption.ResponseHeadersRead);
}
