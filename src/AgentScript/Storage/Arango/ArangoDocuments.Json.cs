// Job: JSON values made storable in ArangoDB (safe keys, parsed payloads, bind values).
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage.Arango;

internal static partial class ArangoDocuments
{
    /// <summary>
    /// Makes attribute names safe for AQL paths and index fields: <c>.</c> and <c>$</c> become <c>_</c>, recursively
    /// (an empty name becomes <c>_empty</c>). Two names that collide after renaming both survive: later ones get
    /// a <c>_2</c>, <c>_3</c>… suffix.
    /// </summary>
    public static JsonNode? SafeKeys(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var result = new JsonObject();
                foreach (var (key, value) in o.ToList())
                {
                    var safe = SafeKey(key);
                    var name = safe;
                    for (var i = 2; result.ContainsKey(name); i++) name = $"{safe}_{i}";
                    o.Remove(key);
                    result[name] = SafeKeys(value);
                }
                return result;
            case JsonArray a:
                var items = a.ToList();
                a.Clear();
                return new JsonArray([.. items.Select(SafeKeys)]);
            default:
                return node;
        }
    }

    /// <summary>One attribute name made safe.</summary>
    public static string SafeKey(string key) => key.Length == 0 ? "_empty" : key.Replace('.', '_').Replace('$', '_');

    /// <summary>Parses JSON text; text that is not JSON is kept as a string value (wrapped as <c>{"value": …}</c> for extra).</summary>
    public static JsonNode? ParseJson(string text, bool wrapNonObject)
    {
        JsonNode? node;
        try
        {
            // Duplicates are checked while parsing: JsonNode would otherwise accept them and throw later, on first access.
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            try
            {
                // Valid JSON with duplicate attribute names (the sanitizer never writes them; older rows or other
                // writers may): keep each one, suffixed.
                using var doc = JsonDocument.Parse(text);
                node = FromElement(doc.RootElement);
            }
            catch (JsonException)
            {
                node = JsonValue.Create(text);
            }
        }
        return wrapNonObject && node is not JsonObject ? new JsonObject { ["value"] = node } : node;
    }

    private static JsonNode? FromElement(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var o = new JsonObject();
                foreach (var p in e.EnumerateObject())
                {
                    var name = p.Name;
                    for (var i = 2; o.ContainsKey(name); i++) name = $"{p.Name}_{i}";
                    o[name] = FromElement(p.Value);
                }
                return o;
            case JsonValueKind.Array:
                return new JsonArray([.. e.EnumerateArray().Select(FromElement)]);
            default:
                return JsonNode.Parse(e.GetRawText());
        }
    }

    /// <summary>Converts a caller's bind value to JSON (strings, numbers, booleans, times, sequences, JSON).</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode n => n.DeepClone(),
        JsonElement e => JsonNode.Parse(e.GetRawText()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create(f),
        decimal m => JsonValue.Create(m),
        short sh => JsonValue.Create(sh),
        byte by => JsonValue.Create(by),
        uint ui => JsonValue.Create(ui),
        ulong ul => JsonValue.Create(ul),
        DateTimeOffset t => JsonValue.Create(Time(t)),
        DateTime t => JsonValue.Create(Time(new DateTimeOffset(DateTime.SpecifyKind(t, t.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : t.Kind)))),
        Guid g => JsonValue.Create(g.ToString("N")),
        Enum en => JsonValue.Create(en.ToString()),
        System.Collections.IDictionary dict => DictToNode(dict),
        System.Collections.IEnumerable seq => new JsonArray([.. seq.Cast<object?>().Select(ToNode)]),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static JsonObject DictToNode(System.Collections.IDictionary dict)
    {
        var o = new JsonObject();
        foreach (System.Collections.DictionaryEntry entry in dict)
        {
            o[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = ToNode(entry.Value);
        }
        return o;
    }
}
