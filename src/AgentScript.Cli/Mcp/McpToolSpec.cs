// Job: a tool of the MCP server as data — its typed parameters, JSON schema and the agentlog command line it runs.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentScript.Cli.Mcp;

/// <summary>How a parameter reaches the command line.</summary>
internal enum McpArgKind
{
    /// <summary>A positional argument.</summary>
    Positional,
    /// <summary><c>--option value</c>.</summary>
    Option,
    /// <summary><c>--flag</c> when true.</summary>
    Flag,
    /// <summary>An object whose entries become <c>--param name=value</c>.</summary>
    Parameters,
    /// <summary>Handled by the server (page size and cursor), not passed as given.</summary>
    Paging,
}

/// <summary>One parameter: JSON name and type (<c>string integer number boolean object</c>), description, CLI mapping.</summary>
internal sealed record McpParam(string Name, string Type, string Description, McpArgKind Kind, string? Cli = null, bool Required = false)
{
    /// <summary>Allowed values, when the parameter is an enumeration.</summary>
    public IReadOnlyList<string>? Enum { get; init; }
    /// <summary>Smallest value of an integer or number.</summary>
    public double? Minimum { get; init; }
    /// <summary>Largest value of an integer or number.</summary>
    public double? Maximum { get; init; }
}

/// <summary>A tool: name, description, the <c>agentlog</c> command it runs with <c>--json</c>, and paging.</summary>
internal sealed record McpToolSpec(string Name, string Description, string Command, IReadOnlyList<McpParam> Params)
{
    /// <summary>The result's array that <c>limit</c>/<c>cursor</c> page through (null = a single result).</summary>
    public string? PagedArray { get; init; }
    /// <summary>The command's own limit option, raised to cover <c>cursor + limit</c> (null = the command returns all).</summary>
    public string? CliLimit { get; init; }
    /// <summary>False for tools that write (record a learning, relate).</summary>
    public bool ReadOnly { get; init; } = true;

    /// <summary>Default page size of paged tools.</summary>
    public const int DefaultLimit = 20;
    /// <summary>Largest page size.</summary>
    public const int MaxLimit = 200;
    /// <summary>Largest cursor (how deep a client can page).</summary>
    public const int MaxCursor = 10_000;

    /// <summary>The JSON schema of the tool's arguments.</summary>
    public JsonElement InputSchema()
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var p in Params)
        {
            var prop = new JsonObject { ["type"] = p.Type, ["description"] = p.Description };
            if (p.Enum is { } values)
            {
                prop["enum"] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            }
            if (p.Minimum is { } min)
            {
                prop["minimum"] = min;
            }
            if (p.Maximum is { } max)
            {
                prop["maximum"] = max;
            }
            if (p.Type == "object")
            {
                prop["additionalProperties"] = new JsonObject { ["type"] = new JsonArray("string", "number", "boolean", "null") };
            }
            properties[p.Name] = prop;
            if (p.Required)
            {
                required.Add(p.Name);
            }
        }
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties, ["additionalProperties"] = false };
        if (required.Count > 0)
        {
            schema["required"] = required;
        }
        return JsonSerializer.SerializeToElement(schema);
    }

    /// <summary>
    /// The <c>agentlog</c> arguments for a call, and the page requested. Throws <see cref="McpArgumentException"/> for a
    /// missing, unknown or mistyped argument (the message names it and the expected type).
    /// </summary>
    public (List<string> Args, int Cursor, int Limit) BuildArgs(IReadOnlyDictionary<string, JsonElement>? arguments)
    {
        arguments ??= new Dictionary<string, JsonElement>();
        foreach (var name in arguments.Keys)
        {
            if (Params.All(p => p.Name != name))
            {
                throw new McpArgumentException($"Unknown argument '{name}' for {Name}. Expected: {string.Join(", ", Params.Select(p => p.Name))}.");
            }
        }
        var positional = new List<string>();
        var options = new List<string>();
        int cursor = 0, limit = DefaultLimit;
        foreach (var p in Params)
        {
            if (!arguments.TryGetValue(p.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (p.Required)
                {
                    throw new McpArgumentException($"Missing required argument '{p.Name}' ({p.Type}) for {Name}: {p.Description}");
                }
                continue;
            }
            switch (p.Kind)
            {
                case McpArgKind.Paging when p.Name == "cursor":
                    cursor = ParseCursor(Text(p, value));
                    break;
                case McpArgKind.Paging:
                    limit = (int)Math.Clamp(Integer(p, value), 1, MaxLimit);
                    break;
                case McpArgKind.Positional:
                    positional.Add(Text(p, value));
                    break;
                case McpArgKind.Option:
                    options.Add(p.Cli!);
                    options.Add(Text(p, value));
                    break;
                case McpArgKind.Flag:
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        throw Mistyped(p, value);
                    }
                    if (value.GetBoolean())
                    {
                        options.Add(p.Cli!);
                    }
                    break;
                case McpArgKind.Parameters:
                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        throw Mistyped(p, value);
                    }
                    foreach (var item in value.EnumerateObject())
                    {
                        options.Add(p.Cli!);
                        // Text values are quoted so the command reads them as text, whatever they look like.
                        options.Add(item.Name + "=" + (item.Value.ValueKind == JsonValueKind.String ? "'" + item.Value.GetString() + "'" : item.Value.GetRawText()));
                    }
                    break;
            }
        }
        var args = new List<string> { Command };
        args.AddRange(positional);
        args.AddRange(options);
        if (CliLimit is not null)
        {
            // One more than the page, so the server knows whether there is a next page.
            args.Add(CliLimit);
            args.Add((cursor + limit + 1).ToString(CultureInfo.InvariantCulture));
        }
        args.Add("--json");
        return (args, cursor, limit);
    }

    private static int ParseCursor(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c <= MaxCursor
            ? c
            : throw new McpArgumentException($"Invalid cursor '{text}'. Pass the next_cursor value of the previous result unchanged (at most {MaxCursor}).");

    private static string Text(McpParam p, JsonElement value) => p.Type switch
    {
        "string" when value.ValueKind == JsonValueKind.String => value.GetString()!,
        "integer" => Integer(p, value).ToString(CultureInfo.InvariantCulture),
        "number" when value.ValueKind == JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
        _ => throw Mistyped(p, value),
    };

    private static long Integer(McpParam p, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : throw Mistyped(p, value);

    private static McpArgumentException Mistyped(McpParam p, JsonElement value) =>
        new($"Argument '{p.Name}' must be {(p.Type is "integer" or "object" ? "an" : "a")} {p.Type}, not {value.ValueKind.ToString().ToLowerInvariant()} ({Trim(value.GetRawText())}).");

    private static string Trim(string s) => s.Length <= 60 ? s : s[..57] + "...";
}

/// <summary>A tool call with bad arguments (reported as a tool error).</summary>
internal sealed class McpArgumentException(string message) : Exception(message);
