namespace LlamaSwap.Core.Configuration.Yaml;

/// <summary>The YAML 1.2 core-schema type a scalar resolved to.</summary>
internal enum ScalarKind
{
    String,
    Int,
    Float,
    Bool,
    Null,
}
