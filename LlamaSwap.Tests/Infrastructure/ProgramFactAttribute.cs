using LlamaSwap.Core.Hosting;

namespace LlamaSwap.Tests.Infrastructure;

/// <summary>A fact that needs a program on PATH (a tool that checks what we write): skipped, with the reason, where it is missing.</summary>
internal sealed class ProgramFactAttribute : FactAttribute
{
    public ProgramFactAttribute(string program)
    {
        if (Find(program) is null)
        {
            Skip = $"{program} is not installed (it checks the file this test writes)";
        }
    }

    public static string? Find(string program) => ExecutableLocator.FindOnPath(program);
}
