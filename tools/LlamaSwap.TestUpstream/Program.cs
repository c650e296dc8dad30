namespace LlamaSwap.TestUpstream;

internal static class Program
{
    public static void Main(string[] args)
    {
        var app = WebApplication.CreateBuilder(args).Build();
        app.Run();
    }
}
