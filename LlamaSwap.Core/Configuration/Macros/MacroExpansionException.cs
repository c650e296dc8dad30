namespace LlamaSwap.Core.Configuration.Macros;

/// <summary>Macro substitution went past its <see cref="ExpansionBudget"/>; the load reports it and stops expanding.</summary>
internal sealed class MacroExpansionException(string message) : Exception(message);
