namespace LlamaSwap.Core.Configuration.Matrix;

/// <summary>A malformed set expression; caught by the compiler and reported with the set's key path.</summary>
internal sealed class MatrixSyntaxException(string message) : Exception(message);
