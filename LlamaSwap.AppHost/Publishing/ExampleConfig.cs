namespace LlamaSwap.AppHost.Publishing;

/// <summary>The config written next to a compose file when none is given: one llama-server model to adapt.</summary>
internal static class ExampleConfig
{
    public const string Content = """
        # llama-swap format. The supervisor container must contain llama-server and the model files
        # (see RUNTIME_IMAGE in the Dockerfile); paths are inside that container.
        healthCheckTimeout: 120
        models:
          qwen2.5-7b:
            cmd: |
              llama-server --port ${PORT} --host 127.0.0.1
                -m /models/qwen2.5-7b-instruct-q4_k_m.gguf
            ttl: 600
            aliases: [gpt-4o-mini]

        """;
}
