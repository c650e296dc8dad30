using System.Diagnostics;

namespace LlamaSwap.Bench;

/// <summary>
/// nginx as the one-hop baseline: started in the foreground from a config written into the run's
/// work folder (its pid, logs and temp files stay there), with access logging off and proxy
/// buffering off in every server the caller gives.
/// </summary>
internal static class Nginx
{
    /// <param name="http">The <c>upstream</c> blocks and <c>server</c> blocks that go inside <c>http { }</c>.</param>
    /// <param name="workerConnections">Connections per worker: bursts need more than nginx's default.</param>
    public static Process Start(string work, string http, int workerConnections = 1024)
    {
        var conf = Path.Combine(work, "nginx.conf");
        File.WriteAllText(conf, $$"""
            daemon off;
            worker_processes 1;
            worker_rlimit_nofile {{Math.Max(1024, workerConnections + 4096)}};
            pid {{work}}/nginx.pid;
            error_log {{work}}/nginx-error.log;
            events { worker_connections {{workerConnections}}; }
            http {
              access_log off;
              client_body_temp_path {{work}}/nginx-body;
              proxy_temp_path {{work}}/nginx-proxy;
            {{http}}
            }
            """);
        return Program.StartEchoed(new ProcessStartInfo("nginx", ["-c", conf, "-p", work]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true }, "[nginx] ");
    }

    /// <summary>A server on <paramref name="port"/> proxying everything to <paramref name="target"/> (a URL or an upstream block's name).</summary>
    public static string Server(int port, string target, bool keepAlive = false) => $$"""
          server {
            listen 127.0.0.1:{{port}};
            location / {
              proxy_pass {{target}};
              proxy_buffering off;{{(keepAlive ? "\n          proxy_http_version 1.1;\n          proxy_set_header Connection \"\";" : "")}}
            }
          }
        """;

    /// <summary>Waits until <paramref name="url"/> answers at all (any status), failing when the process exits first (at most 5 s).</summary>
    public static async Task WaitListeningAsync(HttpClient http, string url, Process process)
    {
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{url}: the process exited with {process.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"{url} is not listening");
    }

    /// <summary>nginx's own version line, for the report.</summary>
    public static string Version() => Program.RunQuiet("nginx", "-v").Trim();
}
