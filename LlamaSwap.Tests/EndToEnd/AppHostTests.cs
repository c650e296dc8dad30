using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd;

/// <summary>The README's run command: the AppHost with no config serves the demo models, and leaves nothing behind.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AppHostTests
{
    [Fact]
    public async Task AppHost_WithoutConfig_ServesDemoModels_AndStopsEveryProcessOnSigterm()
    {
        var proxyPort = FreePorts.Next();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { RepoLayout.ServiceDll("LlamaSwap.AppHost"), "--port", FreePorts.Next().ToString(), "--proxy-port", proxyPort.ToString() })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("API_KEYS");
        var output = new StringBuilder();
        using var appHost = Process.Start(info)!;
        appHost.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        appHost.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        appHost.BeginOutputReadLine();
        appHost.BeginErrorReadLine();
        IReadOnlyList<int> tree = [];
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var front = $"http://127.0.0.1:{proxyPort}";
            await Eventually.TrueAsync(async () => await IsHealthyAsync(http, front), "the front door answers", TimeSpan.FromSeconds(90));

            using var response = await http.PostAsync(front + "/v1/chat/completions", new StringContent(
                """{"model":"demo-small","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}\n{output}");
            using var reply = JsonDocument.Parse(body);
            Assert.False(string.IsNullOrEmpty(reply.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));

            tree = Descendants(appHost.Id);
            // redis-server, supervisor, gateway, auth proxy and the demo model's upstream at least.
            Assert.True(tree.Count >= 5, $"expected the whole stack under the AppHost, found {tree.Count} processes");

            PosixSignals.SignalProcess(appHost.Id, PosixSignals.SigTerm);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await appHost.WaitForExitAsync(exit.Token);

            Assert.Equal(0, appHost.ExitCode);
            Assert.All(tree, pid => Assert.False(ProcFs.IsAlive(pid), $"process {pid} outlived the AppHost\n{output}"));
        }
        finally
        {
            if (!appHost.HasExited)
            {
                appHost.Kill(entireProcessTree: true);
            }

            foreach (var pid in tree.Where(ProcFs.IsAlive))
            {
                PosixSignals.SignalGroup(pid, PosixSignals.SigKill);
            }
        }
    }

    private static async Task<bool> IsHealthyAsync(HttpClient http, string front)
    {
        try
        {
            using var response = await http.GetAsync(front + "/health");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Every live process below <paramref name="root"/>, from the parent links in /proc.</summary>
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    parents[pid] = int.Parse(fields[1]);
                }
                catch (IOException)
                {
                    // The process ended while we looked.
                }
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (pid, ppid) in parents)
            {
                if (ppid == parent)
                {
                    found.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return found;
    }
}
