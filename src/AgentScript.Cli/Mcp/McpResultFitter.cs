// Job: keeps each MCP tool result under the size cap — a page with a cursor, then fewer items, then cut strings.
using System.Globalization;
using System.Text.Json.Nodes;
using AgentScript.Cli.Output;
using AgentScript.Sink;

namespace AgentScript.Cli.Mcp;

/// <summary>
/// Bounds a result: the paged array is cut to the requested page (<c>more: {next_cursor, remaining_hint}</c> when more
/// follow), then shortened until the JSON fits <see cref="MaxChars"/>; other long arrays are halved (counted in
/// <c>omitted_items</c>); long strings are cut last (<c>truncated_values: true</c>).
/// </summary>
internal sealed class McpResultFitter(int maxChars)
{
    /// <summary>The default cap on one result's JSON text, in characters.</summary>
    public const int DefaultMaxChars = 20_000;

    /// <summary>Smallest cap accepted.</summary>
    public const int MinMaxChars = 2_000;

    /// <summary>The cap in effect.</summary>
    public int MaxChars { get; } = maxChars;

    /// <summary>The bounded JSON text of <paramref name="root"/>.</summary>
    public string Fit(JsonNode? root, string? pagedArray, int cursor, int limit)
    {
        if (root is not JsonObject o)
        {
            root = new JsonObject { ["value"] = root };
            o = (JsonObject)root;
        }
        var next = (int?)null;
        if (pagedArray is not null && o[pagedArray] is JsonArray items)
        {
            var all = items.Count;
            var page = new JsonArray(items.Skip(cursor).Take(limit).Select(n => n?.DeepClone()).ToArray());
            o[pagedArray] = page;
            if (pagedArray == "nodes")
            {
                KeepEdgesOf(o, page);
            }
            var shown = page.Count;
            while (Size(o) > MaxChars && page.Count > 1)
            {
                page.RemoveAt(page.Count - 1);
                shown = page.Count;
            }
            if (pagedArray == "nodes")
            {
                KeepEdgesOf(o, page);
            }
            if (cursor + shown < all)
            {
                next = cursor + shown;
            }
            if (o.ContainsKey("count"))
            {
                o["count"] = shown;
            }
            o["cursor"] = cursor.ToString(CultureInfo.InvariantCulture);
            o["more"] = next is { } n
                ? new JsonObject
                {
                    ["next_cursor"] = n.ToString(CultureInfo.InvariantCulture),
                    ["hint"] = $"More results: call again with cursor \"{n}\".",
                }
                : null;
        }
        var omitted = new JsonObject();
        while (Size(o) > MaxChars && LargestOtherArray(o, pagedArray) is { } largest && largest.Array.Count > 1)
        {
            var drop = largest.Array.Count - largest.Array.Count / 2;
            for (var i = 0; i < drop; i++)
            {
                largest.Array.RemoveAt(largest.Array.Count - 1);
            }
            omitted[largest.Path] = (omitted[largest.Path]?.GetValue<int>() ?? 0) + drop;
        }
        if (omitted.Count > 0)
        {
            o["omitted_items"] = omitted;
        }
        foreach (var max in new[] { 2000, 500, 120, 40 })
        {
            if (Size(o) <= MaxChars)
            {
                break;
            }
            CutStrings(o, max);
            o["truncated_values"] = true;
        }
        var text = o.ToJsonString(JsonShapes.Compact);
        return text.Length <= MaxChars
            ? text
            : new JsonObject
            {
                ["error"] = $"The result does not fit the {MaxChars}-character cap even cut down. Ask for less (a smaller limit, a narrower filter).",
            }.ToJsonString(JsonShapes.Compact);
    }

    private static int Size(JsonNode n) => n.ToJsonString(JsonShapes.Compact).Length;

    private static void KeepEdgesOf(JsonObject o, JsonArray nodes)
    {
        if (o["edges"] is not JsonArray edges)
        {
            return;
        }
        var ids = nodes.Select(n => n?["id"]?.ToString()).Where(id => id is not null).ToHashSet(StringComparer.Ordinal);
        o["edges"] = new JsonArray(edges.Where(e => ids.Contains(e?["from"]?.ToString()!) || ids.Contains(e?["to"]?.ToString()!)).Select(e => e?.DeepClone()).ToArray());
    }

    private static (string Path, JsonArray Array)? LargestOtherArray(JsonNode node, string? skip)
    {
        (string, JsonArray, int)? best = null;
        void Visit(JsonNode? n, string path)
        {
            switch (n)
            {
                case JsonObject obj:
                    foreach (var (k, v) in obj)
                    {
                        Visit(v, path.Length == 0 ? k : path + "." + k);
                    }
                    break;
                case JsonArray arr:
                    if (path != skip && arr.Count > 1)
                    {
                        var size = Size(arr);
                        if (best is null || size > best.Value.Item3)
                        {
                            best = (path, arr, size);
                        }
                    }
                    // Arrays inside the items too (the events before and after each error of a page).
                    for (var i = 0; i < arr.Count; i++)
                    {
                        Visit(arr[i], $"{path}[{i}]");
                    }
                    break;
            }
        }
        Visit(node, "");
        return best is { } b ? (b.Item1, b.Item2) : null;
    }

    private static void CutStrings(JsonNode? node, int max)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (k, v) in obj.ToList())
                {
                    if (v is JsonValue value && value.TryGetValue<string>(out var s) && s.Length > max)
                    {
                        obj[k] = ValueSanitizer.TruncateString(s, new ValueLimits { MaxStringLength = max });
                    }
                    else
                    {
                        CutStrings(v, max);
                    }
                }
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    if (arr[i] is JsonValue value && value.TryGetValue<string>(out var s) && s.Length > max)
                    {
                        arr[i] = ValueSanitizer.TruncateString(s, new ValueLimits { MaxStringLength = max });
                    }
                    else
                    {
                        CutStrings(arr[i], max);
                    }
                }
                break;
        }
    }
}
