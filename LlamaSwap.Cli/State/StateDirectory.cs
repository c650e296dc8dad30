using System.Text.Json;

namespace LlamaSwap.Cli.State;

/// <summary>
/// Where a background run keeps its pid file, its log and what it started
/// (<c>$XDG_STATE_HOME/llamaswap</c>, else <c>~/.local/state/llamaswap</c>; <c>--state-dir</c>).
/// <c>stop</c> and <c>status</c> read it.
/// </summary>
internal sealed class StateDirectory(string path)
{
    public string Path { get; } = path;

    public string PidFile => System.IO.Path.Combine(Path, "llamaswap.pid");

    public string LogFile => System.IO.Path.Combine(Path, "llamaswap.log");

    public string RunFile => System.IO.Path.Combine(Path, "run.json");

    public static string Default()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var root = state is { Length: > 0 } ? state : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return System.IO.Path.Combine(root, "llamaswap");
    }

    public void WriteRun(RunRecord run)
    {
        Directory.CreateDirectory(Path);
        var temporary = RunFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(run, RunRecordJson.Default.RunRecord));
        File.Move(temporary, RunFile, overwrite: true);
    }

    /// <summary>What the last launcher that used this directory recorded; null when none.</summary>
    public RunRecord? ReadRun()
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(RunFile), RunRecordJson.Default.RunRecord);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Clear()
    {
        File.Delete(RunFile);
        File.Delete(PidFile);
    }
}
