// Job: compares two JSON values path by path (objects by key, arrays by index) for the run diff.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentScript.Queries;

/// <summary>One difference between two JSON values.</summary>
/// <param name="Path">JSONPath-like location (<c>$.items[2].name</c>).</param>
/// <param name="Kind"><c>added</c>, <c>removed</c> or <c>changed</c>.</param>
/// <param name="Before">The value in the first document as JSON text (null when added).</param>
/// <param name="After">The value in the second document as JSON text (null when removed).</param>
public sealed record JsonChange(string Path, string Kind, string? Before, string? After);

/// <summary>Structural JSON comparison.</summary>
internal static class JsonDiff
{
    /// <summary>The differences between two JSON texts (null = absent). Stops after <paramref name="maxChanges"/>.</summary>
    /// <returns>The changes and whether more were left out.</returns>
    public static (IReadOnlyList<JsonChange> Changes, bool Truncated) Compare(string? before, string? after, int maxChanges = 200)
    {
        var changes = new List<JsonChange>();
        var a = Parse(before);
        var b = Parse(after);
        var complete = Walk("$", a.Present, a.Node, b.Present, b.Node, changes, maxChanges);
        return (changes, !complete);
    }

    private static (bool Present, JsonNode? Node) Parse(string? json)
    {
        if (json is null)
        {
            return (false, null);
        }
        try
        {
            return (true, JsonNode.Parse(json));
        }
        catch (JsonException)
        {
            return (true, JsonValue.Create(json));
        }
    }

    private static string? Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    // Returns false when the change budget ran out.
    private static bool Walk(string path, bool hasA, JsonNode? a, bool hasB, JsonNode? b, List<JsonChange> changes, int max)
    {
        if (!hasA && !hasB)
        {
            return true;
        }
        if (!hasA || !hasB)
        {
            return Add(changes, max, new JsonChange(path, hasA ? "removed" : "added", hasA ? Text(a) : null, hasB ? Text(b) : null));
        }
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var (key, va) in oa)
            {
                var present = ob.TryGetPropertyValue(key, out var vb);
                if (!Walk(Child(path, key), true, va, present, vb, changes, max))
                {
                    return false;
                }
            }
            foreach (var (key, vb) in ob)
            {
                if (!oa.ContainsKey(key) && !Walk(Child(path, key), false, null, true, vb, changes, max))
                {
                    return false;
                }
            }
            return true;
        }
        if (a is JsonArray xa && b is JsonArray xb)
        {
            for (var i = 0; i < Math.Max(xa.Count, xb.Count); i++)
            {
                if (!Walk($"{path}[{i}]", i < xa.Count, i < xa.Count ? xa[i] : null, i < xb.Count, i < xb.Count ? xb[i] : null, changes, max))
                {
                    return false;
                }
            }
            return true;
        }
        return JsonNode.DeepEquals(a, b) || Add(changes, max, new JsonChange(path, "changed", Text(a), Text(b)));
    }

    private static bool Add(List<JsonChange> changes, int max, JsonChange change)
    {
        if (changes.Count >= max)
        {
            return false;
        }
        changes.Add(change);
        return true;
    }

    private static string Child(string path, string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(key[0])
            ? $"{path}.{key}"
            : $"{path}[{JsonSerializer.Serialize(key)}]";
}
