namespace LlamaSwap.Cli.CommandLine;

internal static class Usage
{
    public const string Text = """
        Usage: llamaswap [start] [flags]        run LlamaSwap (flags as llama-swap's, single or double dash)
               llamaswap stop                   stop a LlamaSwap started by this user (--bg, autostart, another terminal)
               llamaswap status                 is it running, where, and how much memory it holds (exit 3: not running)
               llamaswap autostart install [start flags] | uninstall
                                                start at login (systemd user unit / macOS LaunchAgent)
               llamaswap download <hf-repo> [--include GLOB]... | --default-models
                                                fetch GGUF files from Hugging Face (resumable, verified)
               llamaswap smoke [--url URL] [--key KEY] [--model M] [--embedding-model M]
                                                inference, streaming and embeddings against a running install
               llamaswap version                the version (also -version)

        Start flags:
          -config FILE            llama-swap YAML config (default: a demo config with test models)
          -config-dir DIR         *.yml/*.yaml files merged after -config, by file name
          -listen [HOST]:PORT     the public front door (API keys, /v1, UI); default :3000 (every interface)
          -tls-cert-file FILE     serve the front door over HTTPS with this PEM certificate...
          -tls-key-file FILE      ...and this PEM key (both or neither)
          -watch-config           reload the config when a file changes (the default)
          -no-watch               do not watch the config (SIGHUP still reloads it)
          -port N                 the gateway (llama-swap's API, no keys) on 127.0.0.1 (default 8080,
                                  a free port when -listen takes 8080)
          -proxy-port N           the same as -listen :N (the seed's start.sh)
          -supervisor-port N      the supervisor on 127.0.0.1 (default: a free port)
          -redis HOST:PORT        an existing Redis (default: start redis-server from PATH)
          -bg                     run in the background: log file and pid file in the state directory
          -state-dir DIR          pid, log and run files (default $XDG_STATE_HOME/llamaswap or ~/.local/state/llamaswap)
        """;
}
