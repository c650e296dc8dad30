using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LlamaSwap.AuthProxy.Hardening;
using LlamaSwap.AuthProxy.Keys;
using LlamaSwap.Core.Hosting;
using LlamaSwap.Core.Processes;
using LlamaSwap.Tests.Gateway.Support;
using LlamaSwap.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlamaSwap.Tests.AuthProxy.Hosting;

/// <summary>
/// The public endpoint as a launcher sets it (issue 12): the listen URL from <c>ASPNETCORE_URLS</c>
/// (<c>--urls</c> here) and, for TLS, Kestrel's default certificate from two PEM files. The auth
/// proxy's own Kestrel setup (limits, connection admission) must not get in the way.
/// </summary>
public sealed class ListenAndTlsTests : IAsyncLifetime
{
    private const string Key = "sk-tls-test";

    private readonly PemCertificate _certificate = PemCertificate.Create();
    private WebApplication _gateway = null!;
    private string _gatewayUrl = null!;

    public async Task InitializeAsync()
        => (_gateway, _gatewayUrl) = await LoopbackServer.StartAsync(app => app.Map("/{**path}", (RequestDelegate)(context => context.Response.WriteAsync("gateway"))));

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public async Task HttpsUrl_WithPemCertificateAndKey_ServesTls_AndNotPlainHttp()
    {
        await using var proxy = await StartAsync("https://127.0.0.1:0", Certificate());
        var url = new Uri(LoopbackServer.BoundUrl(proxy));
        Assert.Equal("https", url.Scheme);
        X509Seen seen = new();
        using var client = _certificate.TrustingClient(url, seen.Add);

        using var response = await client.SendAsync(Get("/v1/models"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gateway", await response.Content.ReadAsStringAsync());
        Assert.Equal(_certificate.Thumbprint, seen.Thumbprint);

        // The same port refuses plain HTTP, and a client that does not trust the certificate.
        using var plain = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync($"http://127.0.0.1:{url.Port}/health"));
        using var untrusting = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => untrusting.GetAsync(new Uri(url, "/health")));
    }

    [Fact]
    public async Task Tls_ConnectionBeyondTheClientsPendingLimit_IsAdmittedOnItsClientHello()
    {
        // Connection admission runs before Kestrel's TLS: beyond a client's pending limit it waits for
        // the request head, which TLS hides until the handshake is done. The ClientHello must count.
        await using var proxy = await StartAsync(
            "https://127.0.0.1:0", [.. Certificate(), "--AuthProxy:Limits:MaxPendingConnectionsPerClient=1", "--AuthProxy:Limits:BurstHeadersTimeout=00:00:02"]);
        var url = new Uri(LoopbackServer.BoundUrl(proxy));
        var limiter = proxy.Services.GetRequiredService<ClientConnectionLimiter>();
        var client = new ClientAddress(IPAddress.Loopback, 32);
        using var silent = new TcpClient();
        await silent.ConnectAsync(IPAddress.Loopback, url.Port);
        await LoopbackServer.WaitUntilAsync(() => limiter.CountsOf(client).Pending == 1, because: "the silent connection is pending");
        using var https = _certificate.TrustingClient(url);

        var clock = Stopwatch.StartNew();
        using var response = await https.SendAsync(Get("/v1/models"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"admitted at once, not after the burst check timed out ({clock.Elapsed.TotalMilliseconds:F0} ms)");
        Assert.False(limiter.CountsOf(client).Refusing);
    }

    [Fact]
    public async Task LoopbackListenAddress_BindsLoopbackOnly()
    {
        var port = FreePorts.Next();
        await using var proxy = await StartAsync($"http://127.0.0.1:{port}");

        var addresses = proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Assert.Equal([$"http://127.0.0.1:{port}"], addresses);

        // What the kernel says is listening on the port: one socket, on 127.0.0.1, not on any other interface.
        var listeners = ListeningSockets.Read(port);
        Assert.NotNull(listeners);
        var listener = Assert.Single(listeners);
        Assert.Equal(IPAddress.Loopback, listener.Local.Address);
    }

    [Fact]
    public async Task MissingKeyFile_TheServiceExitsAtStart_NamingTheFile()
    {
        var missingKey = Path.Combine(_certificate.Directory, "missing-key.pem");

        var (exitCode, output) = await RunProxyProcessAsync($"https://127.0.0.1:{FreePorts.Next()}", new()
        {
            ["Kestrel__Certificates__Default__Path"] = _certificate.CertificatePath,
            ["Kestrel__Certificates__Default__KeyPath"] = missingKey,
        });

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Contains(
            $"Cannot start: Kestrel:Certificates:Default:KeyPath (Kestrel__Certificates__Default__KeyPath) names a file that does not exist: '{missingKey}'",
            output,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListenAddressInUse_TheServiceExitsAtStart_SayingWhy()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";

        var (exitCode, output) = await RunProxyProcessAsync(url, []);

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        // The host logs the exception itself first; the last word is one line that says why.
        Assert.Contains($"Cannot start: Failed to bind to address {url}: address already in use.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyThatIsNotTheCertificates_IsRefusedAtStart()
    {
        using var other = PemCertificate.Create();
        using var proxy = LlamaSwap.AuthProxy.Program.BuildApp(
            ["--urls", "https://127.0.0.1:0", $"--services:gateway:http:0={_gatewayUrl}",
                $"--Kestrel:Certificates:Default:Path={_certificate.CertificatePath}", $"--Kestrel:Certificates:Default:KeyPath={other.KeyPath}"],
            services => services.AddSingleton(new ApiKeySet([Key])));

        var failure = Assert.Single(LlamaSwap.ServiceDefaults.Hosting.HostOptionsExtensions.HostOptionsFailures(proxy.Services));

        Assert.StartsWith(
            $"Kestrel:Certificates:Default:Path (Kestrel__Certificates__Default__Path) and Kestrel:Certificates:Default:KeyPath (Kestrel__Certificates__Default__KeyPath): {_certificate.CertificatePath} with the key {other.KeyPath} cannot be loaded: ",
            failure,
            StringComparison.Ordinal);
    }

    /// <summary>The built auth proxy as a process, with keys from <c>API_KEYS</c> only; waits for it to exit.</summary>
    private async Task<(int ExitCode, string Output)> RunProxyProcessAsync(string url, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(RepoLayout.ServiceDll("LlamaSwap.AuthProxy"));
        info.Environment["ASPNETCORE_URLS"] = url;
        info.Environment["services__gateway__http__0"] = _gatewayUrl;
        info.Environment[WiringEnvironment.WorkDirectory] = _certificate.Directory;
        info.Environment["API_KEYS"] = Key;
        info.Environment.Remove(WiringEnvironment.ConfigPath);
        info.Environment.Remove(WiringEnvironment.ConfigDir);
        info.Environment.Remove("LLAMASWAP_KEYS_FILE");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await errors);
    }

    private string[] Certificate()
        => [$"--Kestrel:Certificates:Default:Path={_certificate.CertificatePath}", $"--Kestrel:Certificates:Default:KeyPath={_certificate.KeyPath}"];

    private static HttpRequestMessage Get(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", Key);
        return request;
    }

    private async Task<WebApplication> StartAsync(string url, params string[] extraArgs)
    {
        var proxy = LlamaSwap.AuthProxy.Program.BuildApp(
            ["--urls", url, $"--services:gateway:http:0={_gatewayUrl}", "--Logging:LogLevel:Default=Warning", .. extraArgs],
            services => services.AddSingleton(new ApiKeySet([Key])));
        await proxy.StartAsync();
        return proxy;
    }

    /// <summary>The certificate the server presented.</summary>
    private sealed class X509Seen
    {
        public string? Thumbprint { get; private set; }

        public void Add(System.Security.Cryptography.X509Certificates.X509Certificate? certificate)
            => Thumbprint = certificate?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
    }
}
