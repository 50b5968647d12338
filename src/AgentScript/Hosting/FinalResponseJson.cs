using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AgentScript.Hosting;

/// <summary>
/// Serialises an entry's return value: System.Text.Json, property names as declared, one line, cycles cut,
/// NaN/Infinity as strings. A value that cannot be serialised gives an error object instead of an exception.
/// </summary>
internal static class FinalResponseJson
{
    /// <summary>The options used (also suitable for reading the response back).</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = false,
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        MaxDepth = 128,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The JSON text of <paramref name="value"/>; never throws.</summary>
    public static string Serialize(object? value, Type declaredType)
    {
        try
        {
            return JsonSerializer.Serialize(value, value is null ? typeof(object) : declaredType == typeof(object) ? value.GetType() : declaredType, Options);
        }
        catch (Exception e)
        {
            var inner = e is JsonException && e.InnerException is not null ? e.InnerException : e;
            return JsonSerializer.Serialize(new Dictionary<string, string?>
            {
                ["error"] = "The final response could not be serialised to JSON.",
                ["type"] = value?.GetType().FullName,
                ["exception"] = inner.GetType().Name,
                ["message"] = SafeMessage(inner),
            }, Options);
        }
    }

    private static string SafeMessage(Exception e)
    {
        try
        {
            return e.Message;
        }
        catch (Exception)
        {
            return "";
        }
    }
}
