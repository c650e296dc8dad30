namespace LlamaSwap.Core.Hosting;

public static class ExecutableLocator
{
    /// <summary>The first executable file named <paramref name="name"/> on <c>PATH</c>, or null.</summary>
    public static string? FindOnPath(string name, string? path = null)
    {
        foreach (var directory in (path ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
