using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlamaSwap.AppHost.Hosting;
using LlamaSwap.AppHost.Resources;

namespace LlamaSwap.AppHost.Publishing;

/// <summary>
/// Renders the <see cref="AppModel"/> as an Aspire manifest (<c>aspire-8.0</c> schema), the format
/// deployment tools such as azd and Aspirate consume.
/// </summary>
internal static class ManifestWriter
{
    public const string FileName = "aspire-manifest.json";
    public const string Schema = "https://json.schemastore.org/aspire-8.0.json";

    public static string Render(AppModel model, BuildLayout layout, string outputDirectory)
    {
        var wiring = new ManifestWiringTarget();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            // A file for people and tools, not HTML: keep "+" and friends readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", Schema);
            json.WriteStartObject("resources");
            foreach (var resource in model.Resources)
            {
                json.WriteStartObject(resource.Name);
                if (resource.Kind == ResourceKind.Redis)
                {
                    WriteRedis(json, resource);
                }
                else
                {
                    WriteProject(json, resource, model, wiring, Deployment.Relative(outputDirectory, layout.ProjectFile(resource.ProjectDirectory!), layout.RepoRoot));
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteRedis(Utf8JsonWriter json, ResourceSpec redis)
    {
        json.WriteString("type", "container.v0");
        json.WriteString("connectionString", $"{{{redis.Name}.bindings.tcp.host}}:{{{redis.Name}.bindings.tcp.port}}");
        json.WriteString("image", Deployment.RedisImage);
        json.WriteStartArray("args");
        foreach (var arg in Deployment.RedisArgs)
        {
            json.WriteStringValue(arg);
        }

        json.WriteEndArray();
        json.WriteStartObject("bindings");
        json.WriteStartObject("tcp");
        json.WriteString("scheme", "tcp");
        json.WriteString("protocol", "tcp");
        json.WriteString("transport", "tcp");
        json.WriteNumber("targetPort", Deployment.RedisPort);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteProject(Utf8JsonWriter json, ResourceSpec project, AppModel model, IWiringTarget wiring, string path)
    {
        json.WriteString("type", "project.v0");
        json.WriteString("path", path);
        json.WriteStartObject("env");
        foreach (var (key, value) in ResourceEnvironment.For(project, model, wiring))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        json.WriteStartObject("bindings");
        json.WriteStartObject("http");
        json.WriteString("scheme", "http");
        json.WriteString("protocol", "tcp");
        json.WriteString("transport", "http");
        if (project.External && project.Port is { } port)
        {
            json.WriteNumber("port", port);
        }

        json.WriteNumber("targetPort", Deployment.ContainerHttpPort);
        if (project.External)
        {
            json.WriteBoolean("external", true);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
