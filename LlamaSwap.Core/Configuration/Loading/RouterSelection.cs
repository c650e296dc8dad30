using LlamaSwap.Core.Configuration.Matrix;

namespace LlamaSwap.Core.Configuration.Loading;

/// <summary>The active router and its settings; in matrix mode every model is in the implicit group.</summary>
internal sealed record RouterSelection(string Router, Dictionary<string, GroupConfig> Groups, MatrixProgram? Matrix);
