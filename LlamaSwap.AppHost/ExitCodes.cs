namespace LlamaSwap.AppHost;

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A service failed to start or died while running.</summary>
    public const int Failure = 1;

    public const int Usage = 2;
}
