// Job: front end of the safe JSON writer for JSON input (final-response text, JsonElement, JsonNode).
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Sink;

namespace AgentScript.Sanitizing;

/// <summary>JSON values re-written with <see cref="SafeJson"/>'s limits and redaction.</summary>
internal static class ElementJson
{
    /// <summary>
    /// JSON text made safe (redaction, truncation, summaries). Text that is not valid JSON is stored as a (truncated)
    /// JSON string. Never throws.
    /// </summary>
    public static string Sanitize(string? json, ValueLimits limits)
    {
        if (json is null)
        {
            return "null";
        }
        JsonDocument? doc = null;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1000 });
        }
        catch (Exception)
        {
            return SafeJson.Write((json, limits), static (w, s) => w.WriteStringValue(SafeJson.Text(s.json, s.limits)));
        }
        using (doc)
        {
            return SafeJson.Write((doc.RootElement, limits), static (w, s) => Write(w, s.RootElement, s.limits, 0));
        }
    }

    /// <summary>Writes a JSON node (through its element form).</summary>
    public static void Write(Utf8JsonWriter w, JsonNode node, ValueLimits limits, int depth)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(node.ToJsonString(), new JsonDocumentOptions { MaxDepth = 1000 });
        }
        catch (Exception e)
        {
            w.WriteStringValue($"<unserialisable JsonNode: {e.GetType().Name}>");
            return;
        }
        using (doc)
        {
            Write(w, doc.RootElement, limits, depth);
        }
    }

    /// <summary>Writes a JSON element at <paramref name="depth"/>.</summary>
    public static void Write(Utf8JsonWriter w, JsonElement e, ValueLimits limits, int depth)
    {
        if (SafeJson.OverBudget(w, limits))
        {
            return;
        }
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                w.WriteStringValue(SafeJson.Text(e.GetString(), limits));
                return;
            case JsonValueKind.Number:
                e.WriteTo(w);
                return;
            case JsonValueKind.True:
                w.WriteBooleanValue(true);
                return;
            case JsonValueKind.False:
                w.WriteBooleanValue(false);
                return;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                w.WriteNullValue();
                return;
        }
        if (depth >= limits.MaxDepth)
        {
            w.WriteStringValue($"<depth limit {limits.MaxDepth}>");
            return;
        }
        if (e.ValueKind == JsonValueKind.Array)
        {
            var length = e.GetArrayLength();
            if (length > limits.MaxListElements)
            {
                var first = e[0].ValueKind;
                w.WriteStringValue(SafeJson.Summary(length, first switch
                {
                    JsonValueKind.True or JsonValueKind.False => "boolean",
                    _ => first.ToString().ToLowerInvariant(),
                }));
                return;
            }
            w.WriteStartArray();
            foreach (var item in e.EnumerateArray())
            {
                Write(w, item, limits, depth + 1);
                if (SafeJson.Exhausted(w, limits))
                {
                    // One placeholder for the rest, not one per element.
                    SafeJson.OverBudget(w, limits);
                    break;
                }
            }
            w.WriteEndArray();
            return;
        }
        // JSON text may itself repeat a name (JsonDocument accepts it); the output never does.
        var members = new JsonObjectMembers(w, limits);
        foreach (var p in e.EnumerateObject())
        {
            if (members.Next(p.Name))
            {
                Write(w, p.Value, limits, depth + 1);
            }
            if (SafeJson.Exhausted(w, limits))
            {
                break;
            }
        }
        members.End("keys");
    }
}
