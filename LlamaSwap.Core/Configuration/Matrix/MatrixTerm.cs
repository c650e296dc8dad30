namespace LlamaSwap.Core.Configuration.Matrix;

/// <summary>
/// A compiled set expression: identifiers resolved to model IDs and <c>+set</c> references inlined
/// (the referenced set's term is shared, not copied). It denotes a family of model sets.
/// </summary>
internal abstract class MatrixTerm
{
    /// <summary>One model: the family holding just <c>{model}</c>.</summary>
    public sealed class Model(string id) : MatrixTerm
    {
        public string Id { get; } = id;
    }

    /// <summary>
    /// A var whose model the config does not define (dropped with a warning): the family holding
    /// only the empty set, so it neither adds a model to an AND nor a usable alternative to an OR.
    /// </summary>
    public sealed class Nothing : MatrixTerm
    {
        public static Nothing Instance { get; } = new();
    }

    public sealed class AllOf(IReadOnlyList<MatrixTerm> operands) : MatrixTerm
    {
        public IReadOnlyList<MatrixTerm> Operands { get; } = operands;
    }

    public sealed class AnyOf(IReadOnlyList<MatrixTerm> operands) : MatrixTerm
    {
        public IReadOnlyList<MatrixTerm> Operands { get; } = operands;
    }
}
