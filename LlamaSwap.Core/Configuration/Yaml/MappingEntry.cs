namespace LlamaSwap.Core.Configuration.Yaml;

internal sealed record MappingEntry(string Key, SourceSpan KeySpan, ConfigNode Value);
