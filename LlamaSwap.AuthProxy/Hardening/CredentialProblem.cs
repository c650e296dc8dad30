namespace LlamaSwap.AuthProxy.Hardening;

/// <summary>Why the credential headers of a request are refused before any key is compared.</summary>
internal sealed record CredentialProblem(int StatusCode, string Message);
