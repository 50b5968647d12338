using System.Text.Json.Nodes;

namespace AgentScript.Storage.Arango;

/// <summary>An index for <c>POST /_api/index?collection=…</c>: persistent or TTL.</summary>
internal sealed record ArangoIndexDefinition
{
    /// <summary><c>persistent</c> or <c>ttl</c>.</summary>
    public required string Type { get; init; }
    /// <summary>Indexed attributes (exactly one for TTL).</summary>
    public required IReadOnlyList<string> Fields { get; init; }
    /// <summary>Index name (makes re-creation recognisable); null lets the server choose.</summary>
    public string? Name { get; init; }
    /// <summary>Persistent: unique values.</summary>
    public bool Unique { get; init; }
    /// <summary>Persistent: skip documents where a field is null or missing.</summary>
    public bool Sparse { get; init; }
    /// <summary>TTL: seconds after the field's time at which a document is removed.</summary>
    public long? ExpireAfterSeconds { get; init; }

    /// <summary>A persistent index.</summary>
    public static ArangoIndexDefinition Persistent(string name, params string[] fields) => new() { Type = "persistent", Name = name, Fields = fields };

    /// <summary>A TTL index.</summary>
    public static ArangoIndexDefinition Ttl(string name, string field, long expireAfterSeconds) =>
        new() { Type = "ttl", Name = name, Fields = [field], ExpireAfterSeconds = expireAfterSeconds };

    /// <summary>The request body.</summary>
    public JsonObject ToJson()
    {
        var body = new JsonObject
        {
            ["type"] = Type,
            ["fields"] = new JsonArray([.. Fields.Select(f => (JsonNode?)JsonValue.Create(f))]),
        };
        if (Name is not null)
        {
            body["name"] = Name;
        }
        if (Type == "ttl")
        {
            body["expireAfter"] = ExpireAfterSeconds ?? 0;
        }
        else
        {
            body["unique"] = Unique;
            body["sparse"] = Sparse;
        }
        return body;
    }
}
