namespace LlamaSwap.Cli.Download;

/// <summary>How progress is shown: redrawn in place on a terminal, or periodic plain lines for logs.</summary>
internal sealed record ProgressOutput(bool Interactive, int? Width)
{
    public static readonly ProgressOutput Plain = new(false, null);

    /// <summary>A line at least every this long when not on a terminal, besides one per 10 %.</summary>
    public static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(30);

    /// <summary>Redraws on a terminal at most this often.</summary>
    public static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(200);

    /// <summary>The terminal when <paramref name="output"/> is the console's and not redirected; plain lines otherwise.</summary>
    public static ProgressOutput For(TextWriter output)
    {
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected)
        {
            return Plain;
        }

        try
        {
            return new ProgressOutput(true, Console.WindowWidth > 0 ? Console.WindowWidth : null);
        }
        catch (IOException)
        {
            return new ProgressOutput(true, null); // a terminal that does not tell its width
        }
    }
}
