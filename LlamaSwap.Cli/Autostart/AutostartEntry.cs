namespace LlamaSwap.Cli.Autostart;

/// <summary>What starts at login: this CLI with the start flags given to <c>autostart install</c>.</summary>
internal sealed record AutostartEntry(string Program, IReadOnlyList<string> Arguments, string WorkingDirectory, string LogFile, IReadOnlyDictionary<string, string> Environment);
