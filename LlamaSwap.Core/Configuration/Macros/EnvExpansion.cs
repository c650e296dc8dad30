namespace LlamaSwap.Core.Configuration.Macros;

/// <summary>The YAML text after <c>${env.NAME}</c> substitution, plus the occurrences that could not be substituted.</summary>
internal sealed record EnvExpansion(string Text, IReadOnlyList<EnvProblem> Problems);

/// <summary>
/// An <c>${env.NAME}</c> left in place at <paramref name="Index"/> of the expanded text, written at
/// <paramref name="Position"/> (line, column) of the file.
/// </summary>
internal sealed record EnvProblem(int Index, (int Line, int Column) Position, string Name, string Message)
{
    /// <summary>The message for an error at <paramref name="path"/>; with no key path (the file did not parse), with the line and column.</summary>
    public string MessageAt(string path)
        => path.Length > 0 ? Message : $"{Message} at line {Position.Line}, column {Position.Column}";
}
