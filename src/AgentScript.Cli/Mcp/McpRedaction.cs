// Job: the one place the MCP server redacts secrets in what it returns (the runtime's secret-key rule).
using System.Text.Json.Nodes;
using AgentScript.Sink;

namespace AgentScript.Cli.Mcp;

/// <summary>
/// Values are redacted when they are stored; this second pass over every tool result replaces the value of any
/// property whose name is a secret (<see cref="ValueSanitizer.IsSecretKey"/>) — raw query rows and old records
/// included — and the before/after values of a diff path that ends in one.
/// </summary>
internal static class McpRedaction
{
    // The product's own field names that the secret rule would otherwise match (a run's session id groups runs).
    private static readonly HashSet<string> OwnFields = new(StringComparer.Ordinal) { "session_id" };

    /// <summary>Redacts <paramref name="node"/> in place.</summary>
    public static void Apply(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["path"] is JsonValue p && p.TryGetValue<string>(out var path) && o.ContainsKey("kind") && IsSecretPath(path))
                {
                    Redact(o, "before");
                    Redact(o, "after");
                }
                foreach (var (key, value) in o.ToList())
                {
                    if (!OwnFields.Contains(key) && ValueSanitizer.IsSecretKey(key) && value is not null and not JsonObject and not JsonArray)
                    {
                        o[key] = ValueSanitizer.Redacted;
                    }
                    else
                    {
                        Apply(value);
                    }
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Apply(item);
                }
                break;
        }
    }

    private static void Redact(JsonObject o, string key)
    {
        if (o[key] is not null)
        {
            o[key] = ValueSanitizer.Redacted;
        }
    }

    private static bool IsSecretPath(string path)
    {
        var end = path.EndsWith(']') ? path.LastIndexOf('[') : path.LastIndexOf('.');
        var last = end < 0 ? path : path[(end + 1)..].Trim('[', ']', '"');
        return ValueSanitizer.IsSecretKey(last);
    }
}
