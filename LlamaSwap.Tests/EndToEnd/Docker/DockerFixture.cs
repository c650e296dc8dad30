using LlamaSwap.Tests.Infrastructure;

namespace LlamaSwap.Tests.EndToEnd.Docker;

/// <summary>
/// Starts the test-owned Docker engine and builds the llama-server image once for the collection.
/// Where Docker cannot run here the tests are skipped (<see cref="DockerFactAttribute"/>) and nothing
/// starts; an engine that is installed but fails to start fails every test, with dockerd's log.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    private DockerEngine? _engine;

    internal DockerEngine Engine => _engine ?? throw new InvalidOperationException("the Docker engine was not started: " + DockerEngine.MissingReason);

    public async Task InitializeAsync()
    {
        if (DockerEngine.MissingReason is not null)
        {
            return;
        }

        _engine = await DockerEngine.StartAsync();
        try
        {
            await LlamaServerImage.BuildAsync(_engine, SharedLlamaServer.B10309);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
        {
            var log = _engine.Log;
            await _engine.DisposeAsync();
            _engine = null;
            throw new InvalidOperationException($"building {LlamaServerImage.Tag} failed: {ex.Message}\n--- dockerd ---\n{log}", ex);
        }
    }

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
