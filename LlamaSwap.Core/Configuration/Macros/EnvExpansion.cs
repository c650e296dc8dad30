namespace LlamaSwap.Core.Configuration.Macros;

/// <summary>The YAML text after <c>${env.NAME}</c> substitution, plus the occurrences that could not be substituted.</summary>
internal sealed record EnvExpansion(string Text, IReadOnlyList<EnvProblem> Problems);

/// <summary>An <c>${env.NAME}</c> left in place at <paramref name="Index"/> of the expanded text.</summary>
internal sealed record EnvProblem(int Index, string Name, string Message);
