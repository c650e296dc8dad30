namespace LlamaSwap.Gateway.Pipeline.Extraction;

/// <summary>What <see cref="ModelExtractor"/> found in a request.</summary>
/// <param name="Name">The requested model name (ID or alias, unresolved); null when none can be identified.</param>
/// <param name="Problem">Why the body cannot be read (malformed JSON, unreadable model); null when it can.</param>
/// <param name="ContentType">
/// The <c>Content-Type</c> the body is forwarded with: the client's, or <c>application/json</c> for a JSON
/// body the client declared as a form or text (<see cref="RequestBodyKind.UndeclaredJson"/>).
/// </param>
internal readonly record struct ExtractedModel(string? Name, string? Problem, string? ContentType);
