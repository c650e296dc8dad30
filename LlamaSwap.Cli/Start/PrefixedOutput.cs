namespace LlamaSwap.Cli.Start;

/// <summary>Every child's output on the launcher's own, a line at a time, prefixed with its name (as the AppHost prints it).</summary>
internal sealed class PrefixedOutput(TextWriter output, TextWriter error)
{
    private const int NameWidth = 10;
    private readonly Lock _lock = new();

    public void Line(string name, string line, bool isError)
    {
        lock (_lock)
        {
            (isError ? error : output).WriteLine($"{name.PadRight(NameWidth)} | {line}");
        }
    }

    /// <summary>The launcher's own lines.</summary>
    public void Say(string text)
    {
        lock (_lock)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }

    public void Warn(string text)
    {
        lock (_lock)
        {
            error.WriteLine(text);
            error.Flush();
        }
    }
}
