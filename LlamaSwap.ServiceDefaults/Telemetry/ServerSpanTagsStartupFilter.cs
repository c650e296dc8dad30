using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlamaSwap.ServiceDefaults.Telemetry;

/// <summary>
/// ASP.NET Core's server span carries no tags without the instrumentation package (absent from
/// our feed): this adds method, route and status once the request has run. Registered only when
/// traces are exported.
/// </summary>
internal sealed class ServerSpanTagsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(static async (context, nextMiddleware) =>
        {
            var activity = Activity.Current;
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                if (activity is { IsAllDataRequested: true })
                {
                    Tag(activity, context);
                }
            }
        });
        next(app);
    };

    private static void Tag(Activity activity, HttpContext context)
    {
        var method = context.Request.Method;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var status = context.Response.StatusCode;

        activity.SetTag("http.request.method", method);
        activity.SetTag("http.response.status_code", status);
        if (route is not null)
        {
            activity.SetTag("http.route", route);
            activity.DisplayName = $"{method} {route}";
        }

        if (status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
