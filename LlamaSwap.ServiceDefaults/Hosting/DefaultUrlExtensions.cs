using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace LlamaSwap.ServiceDefaults.Hosting;

public static class DefaultUrlExtensions
{
    /// <summary>
    /// Listens on <paramref name="url"/> unless the caller chose an address (<c>ASPNETCORE_URLS</c>,
    /// <c>--urls</c>): each service has its own safe default (loopback for internal services).
    /// </summary>
    public static WebApplicationBuilder UseDefaultUrlUnlessConfigured(this WebApplicationBuilder builder, string url)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(url);
        }

        return builder;
    }
}
