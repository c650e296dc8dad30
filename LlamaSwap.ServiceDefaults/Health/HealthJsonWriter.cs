using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlamaSwap.ServiceDefaults.Health;

/// <summary>
/// <c>/ready</c>'s body: <c>{"status":"Healthy","checks":{"redis":{"status":"Healthy","description":"ping 0.3 ms","durationMs":0.4}}}</c>.
/// </summary>
internal static class HealthJsonWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
