// Job: tell whether a view's stored links already hold what the store's definition asks for.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentScript.Storage.Arango;

/// <summary>
/// Compares wanted view links with the properties the server answers. The server adds defaults (e.g.
/// <c>trackListPositions</c>, <c>analyzerDefinitions</c>), so only what the definition states is compared: each
/// linked collection, <c>includeAllFields</c>, <c>storeValues</c>, and per field its analyzers and nested fields.
/// </summary>
internal static class ArangoViewLinks
{
    /// <summary>True when every wanted link and field is present with the same settings.</summary>
    public static bool Match(JsonObject wanted, JsonElement properties) =>
        properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty("links", out var links)
        && wanted.All(w => links.TryGetProperty(w.Key, out var actual) && LinkMatches(w.Value!.AsObject(), actual));

    private static bool LinkMatches(JsonObject wanted, JsonElement actual)
    {
        if (actual.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        foreach (var (name, value) in wanted)
        {
            switch (name)
            {
                case "analyzers":
                    var want = value!.AsArray().Select(a => a!.GetValue<string>()).Order(StringComparer.Ordinal);
                    if (!actual.TryGetProperty("analyzers", out var have) || have.ValueKind != JsonValueKind.Array
                        || !want.SequenceEqual(have.EnumerateArray().Select(a => Unqualified(a.GetString() ?? "")).Order(StringComparer.Ordinal)))
                    {
                        return false;
                    }
                    break;
                case "fields":
                    if (!actual.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
                    {
                        return false;
                    }
                    foreach (var (field, spec) in value!.AsObject())
                    {
                        if (!fields.TryGetProperty(field, out var f) || !LinkMatches(spec!.AsObject(), f))
                        {
                            return false;
                        }
                    }
                    break;
                default:
                    if (!actual.TryGetProperty(name, out var v) || !JsonNode.DeepEquals(value, JsonNode.Parse(v.GetRawText())))
                    {
                        return false;
                    }
                    break;
            }
        }
        return true;
    }

    /// <summary>Custom analyzers come back as <c>database::name</c>; built-in ones as they were given.</summary>
    private static string Unqualified(string analyzer) => analyzer.Contains("::", StringComparison.Ordinal) ? analyzer[(analyzer.IndexOf("::", StringComparison.Ordinal) + 2)..] : analyzer;
}
