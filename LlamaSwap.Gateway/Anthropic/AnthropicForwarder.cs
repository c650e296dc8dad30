using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlamaSwap.Gateway.ClientAuth;
using Microsoft.AspNetCore.Http.Features;

namespace LlamaSwap.Gateway.Anthropic;

/// <summary>
/// Runs <paramref name="useUpstream"/> with the base URL of a ready upstream, holding the model's
/// lease for exactly that long (the gateway's acquire/refuse/release handling).
/// </summary>
internal delegate Task WithLeasedUpstream(Func<string, Task> useUpstream);

/// <summary>
/// Anthropic Messages for a model marked <c>openaiOnly</c>: the request is translated to a chat
/// completion, sent to the upstream, and the answer (plain or streamed) translated back.
/// </summary>
/// <param name="invoker">The gateway's shared upstream connection pool.</param>
internal sealed partial class AnthropicForwarder(ILogger logger)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    /// <param name="model">The model name as the client sent it, echoed in responses.</param>
    /// <param name="body">The Anthropic request after any gateway rewrites (e.g. <c>useModelName</c>).</param>
    /// <param name="invoker">The model's own connection pool, built from its <c>timeouts</c>.</param>
    public async Task HandleAsync(
        HttpContext context, AnthropicEndpoint endpoint, string model, ReadOnlyMemory<byte> body, HttpMessageInvoker invoker, WithLeasedUpstream withLease)
    {
        JsonObject? request;
        try
        {
            request = JsonNode.Parse(body.Span) as JsonObject;
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            await AnthropicError.WriteAsync(context, StatusCodes.Status400BadRequest, "request body must be a JSON object");
            return;
        }

        if (endpoint == AnthropicEndpoint.CountTokens)
        {
            // An OpenAI-only server has no token counter to ask, and loading a model to estimate would be a waste.
            await WriteJsonAsync(context, new JsonObject { ["input_tokens"] = TokenEstimator.Estimate(request) });
            return;
        }

        JsonObject chat;
        try
        {
            chat = AnthropicRequestTranslator.Translate(request);
        }
        catch (AnthropicRequestException ex)
        {
            Log.Untranslatable(logger, model, ex.Message);
            await AnthropicError.WriteAsync(context, StatusCodes.Status400BadRequest, ex.Message);
            return;
        }

        var path = AnthropicRoute.ChatCompletionsPath(context.Request.Path.Value ?? "/");
        await withLease(upstream => SendAsync(context, invoker, upstream.TrimEnd('/') + path, model, chat));
    }

    private async Task SendAsync(HttpContext context, HttpMessageInvoker invoker, string url, string model, JsonObject chat)
    {
        var cancellationToken = context.RequestAborted;
        var streaming = chat["stream"] is not null;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.Absolute));
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(chat, AnthropicJson.Options)) { Headers = { ContentType = Json } };
        request.Headers.Accept.ParseAdd(streaming ? "text/event-stream" : "application/json");

        // Present only where ClientAuthStage put the client's credential back (forwardClientAuth).
        foreach (var name in new[] { Microsoft.Net.Http.Headers.HeaderNames.Authorization, ClientCredential.ApiKeyHeader })
        {
            if (context.Request.Headers.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
        }

        AnthropicStreamTranslator? translator = null;
        try
        {
            using var response = await invoker.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                var message = AnthropicError.MessageFromUpstream(status, await response.Content.ReadAsStringAsync(cancellationToken));
                Log.UpstreamError(logger, model, status, message);
                await AnthropicError.WriteAsync(context, status, message);
                return;
            }

            await using var upstreamBody = await response.Content.ReadAsStreamAsync(cancellationToken);
            if (!streaming)
            {
                if (await JsonNode.ParseAsync(upstreamBody, cancellationToken: cancellationToken) is not JsonObject completion)
                {
                    await AnthropicError.WriteAsync(context, StatusCodes.Status502BadGateway, "upstream answered with something other than a JSON object");
                    return;
                }

                await WriteJsonAsync(context, AnthropicResponseTranslator.Translate(completion, model));
                return;
            }

            var clientResponse = context.Response;
            clientResponse.ContentType = "text/event-stream";
            clientResponse.Headers.CacheControl = "no-cache";
            clientResponse.Headers["X-Accel-Buffering"] = "no";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            translator = new AnthropicStreamTranslator(clientResponse.Body, model);
            await translator.TranslateAsync(upstreamBody, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelling the token aborted the upstream request too; nobody is left to answer.
            Log.ClientAborted(logger, model);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or TimeoutException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Log.ClientAborted(logger, model);
                return;
            }

            Log.UpstreamFailed(logger, model, url, ex);
            await ReportFailureAsync(context, translator, $"upstream error: {ex.Message}");
        }
    }

    private static async Task ReportFailureAsync(HttpContext context, AnthropicStreamTranslator? translator, string message)
    {
        if (!context.Response.HasStarted)
        {
            await AnthropicError.WriteAsync(context, StatusCodes.Status502BadGateway, message);
            return;
        }

        if (translator is null)
        {
            return;
        }

        try
        {
            await translator.WriteErrorAsync(message, context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client went away while being told: nothing more to do.
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, JsonObject json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(AnthropicJson.Serialize(json), context.RequestAborted);
    }
}
