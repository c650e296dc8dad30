namespace LlamaSwap.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("llamaswap: no command yet");
        return 2;
    }
}
