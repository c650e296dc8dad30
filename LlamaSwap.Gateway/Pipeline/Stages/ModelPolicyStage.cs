using LlamaSwap.Core.Http;
using LlamaSwap.Core.Security;

namespace LlamaSwap.Gateway.Pipeline.Stages;

/// <summary>
/// The key's model globs, judged on the FINAL target (a model ID or a peer model's FQN), after every
/// alias, pin and selector: a name in between never admits a model the globs do not.
/// </summary>
internal sealed partial class ModelPolicyStage(RequestDelegate next, ILogger<ModelPolicyStage> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var model = ModelRequest.Of(context);
        if (context.Features.Get<KeyClaim>() is not { AllowsEveryModel: false } claim || claim.AllowsModel(model.Target))
        {
            return next(context);
        }

        Log.ModelRefused(logger, claim.Name, model.Requested, model.Target);
        return ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, $"model \"{model.Requested}\" is not allowed for this key");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1611, Level = LogLevel.Information, Message = "Key {KeyName} may not use model {Model} (reaches {Target})")]
        public static partial void ModelRefused(ILogger logger, string keyName, string model, string target);
    }
}
