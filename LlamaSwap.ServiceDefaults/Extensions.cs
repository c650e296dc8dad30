namespace LlamaSwap.ServiceDefaults;

public static class Extensions
{
}
