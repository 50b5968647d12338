using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentScript.Storage.Arango;

internal sealed partial class ArangoClient
{
    private static readonly HttpMethod Patch = HttpMethod.Patch;

    /// <summary>
    /// Server version (<c>GET /_db/{database}/_api/version</c>, the client's own database unless named); also a cheap
    /// reachability and credentials check. Asking the configured database matters: a user with rights on that database
    /// only is refused (401) on <c>_system</c>, and a missing database answers 404 with errorNum 1228.
    /// </summary>
    public Task<string> GetVersionAsync(CancellationToken cancellationToken = default) => GetVersionAsync(null, cancellationToken);

    /// <summary>Server version as seen from <paramref name="database"/> (null: the client's own).</summary>
    public async Task<string> GetVersionAsync(string? database, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Get, "/_api/version", database: database, cancellationToken: cancellationToken).ConfigureAwait(false);
        return r.Body.GetProperty("version").GetString() ?? "";
    }

    /// <summary>Creates a database from <c>_system</c>; false when it exists already (409/1207).</summary>
    public async Task<bool> CreateDatabaseAsync(string name, JsonObject? options = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["name"] = name };
        if (options is not null)
        {
            body["options"] = options;
        }
        try
        {
            var r = await SendAsync(HttpMethod.Post, "/_api/database", body, database: "_system", idempotent: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return r.Body.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.True;
        }
        catch (ArangoException ex) when (ex.ErrorNum == 1207 || ex.Code == 409)
        {
            return false;
        }
    }

    /// <summary>Databases the user can see (<c>GET /_api/database/user</c>).</summary>
    public async Task<IReadOnlyList<string>> ListDatabasesAsync(CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Get, "/_api/database/user", database: "_system", cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. r.Body.GetProperty("result").EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>Creates a collection; returns null when it exists already (409/1207).</summary>
    public async Task<ArangoCollectionInfo?> CreateCollectionAsync(ArangoCollectionOptions options, CancellationToken cancellationToken = default)
    {
        try
        {
            var r = await SendAsync(HttpMethod.Post, "/_api/collection", options.ToJson(), idempotent: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ReadCollection(r.Body);
        }
        catch (ArangoException ex) when (ex.ErrorNum == 1207)
        {
            return null;
        }
    }

    /// <summary>Properties of a collection, or null when it does not exist.</summary>
    public async Task<ArangoCollectionInfo?> GetCollectionAsync(string name, CancellationToken cancellationToken = default)
    {
        var r = await SendOrNullAsync(HttpMethod.Get, $"/_api/collection/{Uri.EscapeDataString(name)}/properties", cancellationToken: cancellationToken).ConfigureAwait(false);
        return r is null ? null : ReadCollection(r.Body);
    }

    /// <summary>Number of documents in a collection.</summary>
    public async Task<long> CountAsync(string collection, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Get, $"/_api/collection/{Uri.EscapeDataString(collection)}/count", cancellationToken: cancellationToken).ConfigureAwait(false);
        return r.Body.GetProperty("count").GetInt64();
    }

    private static ArangoCollectionInfo ReadCollection(JsonElement body) => new(
        body.GetProperty("name").GetString()!,
        body.GetProperty("type").GetInt32() == 3,
        body.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.Object,
        body.TryGetProperty("keyOptions", out var k) && k.TryGetProperty("type", out var t) ? t.GetString() : null);

    /// <summary>Creates an index, or finds the identical one (200 instead of 201).</summary>
    public async Task<ArangoIndexInfo> EnsureIndexAsync(string collection, ArangoIndexDefinition index, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Post, "/_api/index", index.ToJson(), [new("collection", collection)], idempotent: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ReadIndex(r.Body);
    }

    /// <summary>Indexes of a collection.</summary>
    public async Task<IReadOnlyList<ArangoIndexInfo>> ListIndexesAsync(string collection, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Get, "/_api/index", query: [new("collection", collection)], cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. r.Body.GetProperty("indexes").EnumerateArray().Select(ReadIndex)];
    }

    private static ArangoIndexInfo ReadIndex(JsonElement e) => new(
        e.GetProperty("id").GetString()!,
        e.TryGetProperty("name", out var n) ? n.GetString()! : "",
        e.GetProperty("type").GetString()!,
        [.. e.GetProperty("fields").EnumerateArray().Select(f => f.ValueKind == JsonValueKind.String ? f.GetString()! : f.GetProperty("name").GetString()!)],
        e.TryGetProperty("isNewlyCreated", out var c) && c.ValueKind == JsonValueKind.True);

    /// <summary>Creates an analyzer (201, or 200 when an identical one exists); returns its full name.</summary>
    public async Task<string> CreateAnalyzerAsync(string name, string type, JsonObject? properties = null, IReadOnlyList<string>? features = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["name"] = name, ["type"] = type };
        if (properties is not null)
        {
            body["properties"] = properties;
        }
        if (features is not null)
        {
            body["features"] = new JsonArray([.. features.Select(f => (JsonNode?)JsonValue.Create(f))]);
        }
        var r = await SendAsync(HttpMethod.Post, "/_api/analyzer", body, idempotent: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        return r.Body.GetProperty("name").GetString()!;
    }

    /// <summary>An analyzer's definition, or null when unknown.</summary>
    public async Task<JsonElement?> GetAnalyzerAsync(string name, CancellationToken cancellationToken = default)
    {
        var r = await SendOrNullAsync(HttpMethod.Get, $"/_api/analyzer/{Uri.EscapeDataString(name)}", cancellationToken: cancellationToken).ConfigureAwait(false);
        return r?.Body;
    }

    /// <summary>Creates a view (<c>arangosearch</c> with links, or <c>search-alias</c>); false when it exists (409/1207).</summary>
    public async Task<bool> CreateViewAsync(JsonObject definition, CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync(HttpMethod.Post, "/_api/view", definition, idempotent: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ArangoException ex) when (ex.ErrorNum == 1207)
        {
            return false;
        }
    }

    /// <summary>A view's properties (links included), or null when it does not exist.</summary>
    public async Task<JsonElement?> GetViewPropertiesAsync(string name, CancellationToken cancellationToken = default)
    {
        var r = await SendOrNullAsync(HttpMethod.Get, $"/_api/view/{Uri.EscapeDataString(name)}/properties", cancellationToken: cancellationToken).ConfigureAwait(false);
        return r?.Body;
    }

    /// <summary>Merges <paramref name="properties"/> into a view's properties (PATCH).</summary>
    public async Task<JsonElement> UpdateViewPropertiesAsync(string name, JsonObject properties, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(Patch, $"/_api/view/{Uri.EscapeDataString(name)}/properties", properties, idempotent: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        return r.Body;
    }

    /// <summary>Creates a named graph (gharial); false when it exists (409/1925).</summary>
    public async Task<bool> CreateGraphAsync(string name, IReadOnlyList<(string Collection, string[] From, string[] To)> edgeDefinitions, CancellationToken cancellationToken = default)
    {
        var defs = new JsonArray();
        foreach (var (collection, from, to) in edgeDefinitions)
        {
            defs.Add(new JsonObject
            {
                ["collection"] = collection,
                ["from"] = new JsonArray([.. from.Select(f => (JsonNode?)JsonValue.Create(f))]),
                ["to"] = new JsonArray([.. to.Select(t => (JsonNode?)JsonValue.Create(t))]),
            });
        }
        try
        {
            await SendAsync(HttpMethod.Post, "/_api/gharial", new JsonObject { ["name"] = name, ["edgeDefinitions"] = defs }, idempotent: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ArangoException ex) when (ex.ErrorNum == 1925)
        {
            return false;
        }
    }

    /// <summary>A named graph's definition, or null when it does not exist.</summary>
    public async Task<JsonElement?> GetGraphAsync(string name, CancellationToken cancellationToken = default)
    {
        var r = await SendOrNullAsync(HttpMethod.Get, $"/_api/gharial/{Uri.EscapeDataString(name)}", cancellationToken: cancellationToken).ConfigureAwait(false);
        return r?.Body.GetProperty("graph");
    }

    /// <summary>Drops a database (from <c>_system</c>); false when it did not exist.</summary>
    public async Task<bool> DropDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        await SendOrNullAsync(HttpMethod.Delete, $"/_api/database/{Uri.EscapeDataString(name)}", database: "_system", cancellationToken: cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Names of the collections (system ones excluded unless asked).</summary>
    public async Task<IReadOnlyList<string>> ListCollectionsAsync(bool includeSystem = false, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Get, "/_api/collection", cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. r.Body.GetProperty("result").EnumerateArray()
            .Where(c => includeSystem || !(c.TryGetProperty("isSystem", out var sys) && sys.ValueKind == JsonValueKind.True))
            .Select(c => c.GetProperty("name").GetString()!)];
    }

    /// <summary>Drops a collection; false when it did not exist.</summary>
    public async Task<bool> DropCollectionAsync(string name, CancellationToken cancellationToken = default) =>
        await SendOrNullAsync(HttpMethod.Delete, $"/_api/collection/{Uri.EscapeDataString(name)}", cancellationToken: cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Drops a view; false when it did not exist.</summary>
    public async Task<bool> DropViewAsync(string name, CancellationToken cancellationToken = default) =>
        await SendOrNullAsync(HttpMethod.Delete, $"/_api/view/{Uri.EscapeDataString(name)}", cancellationToken: cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Deletes an analyzer (<paramref name="force"/>: even while views use it); false when it did not exist.</summary>
    public async Task<bool> DeleteAnalyzerAsync(string name, bool force = false, CancellationToken cancellationToken = default) =>
        await SendOrNullAsync(HttpMethod.Delete, $"/_api/analyzer/{Uri.EscapeDataString(name)}", query: force ? [new("force", "true")] : null, cancellationToken: cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Drops a named graph, and its collections when asked; false when it did not exist.</summary>
    public async Task<bool> DropGraphAsync(string name, bool dropCollections = false, CancellationToken cancellationToken = default) =>
        await SendOrNullAsync(HttpMethod.Delete, $"/_api/gharial/{Uri.EscapeDataString(name)}", query: dropCollections ? [new("dropCollections", "true")] : null, cancellationToken: cancellationToken).ConfigureAwait(false) is not null;
}
