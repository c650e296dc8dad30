namespace LlamaSwap.Tests.Gateway.Metrics.Performance;

/// <summary>
/// A directory of fake GPU tools (shell scripts named <c>nvidia-smi</c>, <c>rocm-smi</c>) to use as the
/// monitor's tool path, and an empty fake sysfs: the real ones are never looked at.
/// </summary>
internal sealed class FakeGpuTools : IDisposable
{
    public FakeGpuTools()
    {
        Root = Directory.CreateTempSubdirectory("llamaswap-gpu-").FullName;
        Bin = Directory.CreateDirectory(Path.Combine(Root, "bin")).FullName;
        Sysfs = Directory.CreateDirectory(Path.Combine(Root, "sys")).FullName;
    }

    public string Root { get; }

    public string Bin { get; }

    public string Sysfs { get; }

    /// <summary>A tool that prints <paramref name="output"/> (kept in a file beside it) and exits 0.</summary>
    public void Prints(string tool, string output)
    {
        var data = Path.Combine(Root, tool + ".out");
        File.WriteAllText(data, output);
        Script(tool, $"exec cat '{data}'");
    }

    /// <summary>A tool that writes its pid to <c>{tool}.pid</c> and never finishes.</summary>
    public string Hangs(string tool)
    {
        var pidFile = Path.Combine(Root, tool + ".pid");
        Script(tool, $"echo $$ > '{pidFile}'\nexec sleep 600");
        return pidFile;
    }

    public void Fails(string tool, string stderr, int exitCode)
    {
        var data = Path.Combine(Root, tool + ".err");
        File.WriteAllText(data, stderr);
        Script(tool, $"cat '{data}' >&2\nexit {exitCode}");
    }

    public void Script(string tool, string body)
    {
        var path = Path.Combine(Bin, tool);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Replaced in one step: a round running at that moment sees the old script or the new, never half of one.
        File.Move(temporary, path, overwrite: true);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
