namespace LlamaSwap.Gateway.Activity;

/// <summary>Which parts of a request a capture keeps, by route (reference 2.4.3): binary media bodies are left out.</summary>
internal readonly record struct CaptureMask(bool RequestBody, bool ResponseBody)
{
    public static CaptureMask For(string route) => route switch
    {
        "/v1/audio/speech" or "/v1/images/generations" or "/sdapi/v1/txt2img" => new(RequestBody: true, ResponseBody: false),
        "/v1/audio/voices" => new(RequestBody: false, ResponseBody: true),
        "/v1/audio/transcriptions" => new(RequestBody: false, ResponseBody: true),
        "/v1/images/edits" or "/sdapi/v1/img2img" => new(RequestBody: false, ResponseBody: false),
        _ => new(RequestBody: true, ResponseBody: true),
    };
}
