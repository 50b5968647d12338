using System.Text.Json.Nodes;

namespace AgentScript.Storage.Arango;

/// <summary>What <c>POST /_api/collection</c> is asked to create.</summary>
internal sealed record ArangoCollectionOptions
{
    /// <summary>Collection name.</summary>
    public required string Name { get; init; }
    /// <summary>An edge collection (type 3) rather than a document collection (type 2).</summary>
    public bool IsEdge { get; init; }
    /// <summary>JSON-schema rule (<c>schema.rule</c>), or null for none.</summary>
    public JsonObject? SchemaRule { get; init; }
    /// <summary><c>schema.level</c>: <c>none</c>, <c>new</c>, <c>moderate</c> or <c>strict</c>.</summary>
    public string SchemaLevel { get; init; } = "moderate";
    /// <summary><c>schema.message</c> shown when a document fails the rule.</summary>
    public string? SchemaMessage { get; init; }
    /// <summary><c>keyOptions.type</c> (<c>traditional</c>, <c>padded</c>, …) or null for the server default.</summary>
    public string? KeyType { get; init; }
    /// <summary><c>keyOptions.allowUserKeys</c>.</summary>
    public bool AllowUserKeys { get; init; } = true;
    /// <summary>Cluster: number of shards (ignored by a single server).</summary>
    public int? NumberOfShards { get; init; }
    /// <summary>Cluster: shard keys (cannot change later).</summary>
    public IReadOnlyList<string>? ShardKeys { get; init; }
    /// <summary>Cluster: copies of each shard.</summary>
    public int? ReplicationFactor { get; init; }
    /// <summary>Cluster: copies that must confirm a write.</summary>
    public int? WriteConcern { get; init; }

    /// <summary>The request body.</summary>
    public JsonObject ToJson()
    {
        var body = new JsonObject { ["name"] = Name, ["type"] = IsEdge ? 3 : 2 };
        if (SchemaRule is not null)
        {
            var schema = new JsonObject { ["rule"] = SchemaRule.DeepClone(), ["level"] = SchemaLevel };
            if (SchemaMessage is not null)
            {
                schema["message"] = SchemaMessage;
            }
            body["schema"] = schema;
        }
        if (KeyType is not null)
        {
            body["keyOptions"] = new JsonObject { ["type"] = KeyType, ["allowUserKeys"] = AllowUserKeys };
        }
        if (NumberOfShards is { } shards)
        {
            body["numberOfShards"] = shards;
        }
        if (ShardKeys is { Count: > 0 })
        {
            body["shardKeys"] = new JsonArray([.. ShardKeys.Select(k => (JsonNode?)JsonValue.Create(k))]);
        }
        if (ReplicationFactor is { } rf)
        {
            body["replicationFactor"] = rf;
        }
        if (WriteConcern is { } wc)
        {
            body["writeConcern"] = wc;
        }
        return body;
    }
}
