using LlamaSwap.Supervisor.Processes;

namespace LlamaSwap.Tests.Supervisor.Processes;

/// <summary>Which files of a command count as the model to load, and their total size.</summary>
public sealed class LoadProgressFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llamaswap-model-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Find_TakesTheModelFlags_BothSpellings_AndBareWeightFiles()
    {
        var model = Write("model.gguf", 300);
        var projector = Write("mmproj.gguf", 50);
        var draft = Write("draft.bin", 20);
        var config = Write("settings.json", 7);

        var files = LoadProgressFiles.Find(["llama-server", "-m", model, $"--mmproj={projector}", draft, "--chat-template-file", config, "--port", "8080"]);

        Assert.Equal([(draft, 20L), (projector, 50L), (model, 300L)], files.Select(f => (f.Path, f.Size)));
    }

    [Fact]
    public void Find_SeesInsideAShellCommand_AndSkipsMissingFiles()
    {
        var model = Write("in shell.gguf".Replace(' ', '_'), 100);

        var files = LoadProgressFiles.Find(["/bin/sh", "-c", $"exec llama-server -m {model} --lora {_dir}/missing.gguf"]);

        Assert.Equal([model], files.Select(f => f.Path));
    }

    [Fact]
    public void Find_AModelDirectory_CountsItsWeightFiles()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "hf", "sub"));
        var a = Write("hf/model-00001.safetensors", 40);
        var b = Write("hf/sub/model-00002.safetensors", 60);
        Write("hf/config.json", 5);

        var files = LoadProgressFiles.Find(["vllm", "serve", "--model", Path.Combine(_dir, "hf")]);

        Assert.Equal([a, b], files.Select(f => f.Path));
        Assert.Equal(100, files.Sum(f => f.Size));
    }

    [Fact]
    public void Find_ASplitGguf_CountsEveryPart_AndASymlinkAsItsTarget()
    {
        var first = Write("big-00001-of-00002.gguf", 10);
        var second = Write("big-00002-of-00002.gguf", 30);
        var link = Path.Combine(_dir, "link.gguf");
        File.CreateSymbolicLink(link, first);

        var files = LoadProgressFiles.Find(["llama-server", "-m", link]);

        // smaps names the target, not the link.
        Assert.Equal([first, second], files.Select(f => f.Path));
    }

    [Fact]
    public void Find_NoModelFile_IsEmpty()
        => Assert.Empty(LoadProgressFiles.Find(["docker", "run", "--rm", "image:tag", "-m", "/models/inside-the-container.gguf"]));

    private string Write(string name, int size)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, new byte[size]);
        return path;
    }
}
