using LlamaSwap.Core.Configuration;
using LlamaSwap.Gateway.ClientAuth;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// Puts the client's <c>Authorization</c> and <c>x-api-key</c> back on the request, exactly as sent,
/// when the final target's <c>forwardClientAuth</c> asks for them (the model's setting, else the
/// global one; a peer with an <c>apiKey</c> gets its own instead). Off by default, so upstreams
/// never see the front door's key unless the user says so.
/// </summary>
internal sealed class ClientAuthStage(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        if (context.Features.Get<ClientCredential>() is { } credential && Forwards(model))
        {
            credential.WriteTo(context.Request.Headers);
        }

        return next(context);
    }

    private static bool Forwards(ModelRequest model)
        => model.Peer is { } peer ? ClientAuthForwarding.To(model.Config, peer.Peer) : ClientAuthForwarding.To(model.Config, model.Model);
}
