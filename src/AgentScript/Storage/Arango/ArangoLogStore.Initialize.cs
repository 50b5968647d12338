// Job: create or check the store's schema at start-up with as few requests as an existing store needs.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentScript.Storage.Arango;

internal sealed partial class ArangoLogStore
{
    /// <inheritdoc/>
    /// <remarks>
    /// Every process starts with this, so an existing store costs reads only: the version of the configured database
    /// (a user may have rights on that database alone), the collection list, each existing collection's indexes, the
    /// view's properties, the graph and one count query. Anything missing is created; view links are changed only
    /// when they differ from the definition.
    /// </remarks>
    public Task<StoreInfo> InitializeAsync(CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var databaseIsNew = await EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var created = databaseIsNew;
        var existing = databaseIsNew ? [] : (await _client.ListCollectionsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var indexes = ArangoSchema.Indexes(_retentionDays);
        foreach (var definition in ArangoSchema.CollectionDefinitions(_options))
        {
            var isNew = !existing.Contains(definition.Name)
                && await _client.CreateCollectionAsync(definition, cancellationToken).ConfigureAwait(false) is not null;
            created |= isNew;
            var present = isNew
                ? new HashSet<string>(StringComparer.Ordinal)
                : (await _client.ListIndexesAsync(definition.Name, cancellationToken).ConfigureAwait(false)).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (_, index) in indexes.Where(i => i.Collection == definition.Name && !present.Contains(i.Index.Name!)))
            {
                await EnsureIndexAsync(definition.Name, index, cancellationToken).ConfigureAwait(false);
            }
        }
        await EnsureViewAsync(databaseIsNew, cancellationToken).ConfigureAwait(false);
        await _client.CreateGraphAsync(ArangoSchema.Graph, ArangoSchema.GraphEdges, cancellationToken).ConfigureAwait(false);
        var (rows, _) = await _client.QueryAllAsync(AqlQueries.CollectionCounts, cancellationToken: cancellationToken).ConfigureAwait(false);
        var counts = ArangoSchema.Collections.ToDictionary(c => c, c => rows.Count > 0 && rows[0].TryGetProperty(c, out var n) && n.TryGetInt64(out var v) ? v : 0L);
        return new StoreInfo(Kind, Location, ArangoSchema.Version, created, counts);
    });

    /// <summary>
    /// Asks the configured database for its version (not <c>_system</c>, which a user limited to this database may not
    /// read); creates the database through <c>_system</c> only when the server says it does not exist (1228).
    /// </summary>
    private async Task<bool> EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetVersionAsync(_options.Database, cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (ArangoException ex) when (ex.ErrorNum == 1228)
        {
            return await _client.CreateDatabaseAsync(_options.Database, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureIndexAsync(string collection, ArangoIndexDefinition index, CancellationToken cancellationToken)
    {
        try
        {
            await _client.EnsureIndexAsync(collection, index, cancellationToken).ConfigureAwait(false);
        }
        catch (ArangoException ex) when (index.Type == "ttl" && ex.Code is 400 or 409)
        {
            // One TTL index per collection: a changed LOG_RETENTION_DAYS means replacing the old one.
            var existing = await _client.ListIndexesAsync(collection, cancellationToken).ConfigureAwait(false);
            foreach (var old in existing.Where(i => i.Type == "ttl"))
            {
                await _client.SendAsync(HttpMethod.Delete, $"/_api/index/{old.Id}", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            await _client.EnsureIndexAsync(collection, index, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the view first; creates it when missing, changes its links only when they differ, then checks them.</summary>
    private async Task EnsureViewAsync(bool databaseIsNew, CancellationToken cancellationToken)
    {
        var definition = ArangoSchema.ViewDefinition();
        var wanted = definition["links"]!.AsObject();
        JsonElement? properties = databaseIsNew ? null : await _client.GetViewPropertiesAsync(ArangoSchema.View, cancellationToken).ConfigureAwait(false);
        if (properties is null)
        {
            if (!await _client.CreateViewAsync(definition, cancellationToken).ConfigureAwait(false))
            {
                // Another process created it meanwhile: fine, it is checked below.
            }
            // A bad link does not fail the create call, so read the view back.
            properties = await _client.GetViewPropertiesAsync(ArangoSchema.View, cancellationToken).ConfigureAwait(false);
        }
        else if (!ArangoViewLinks.Match(wanted, properties.Value))
        {
            // An older or hand-made view lacks our links: PATCH merges ours in and answers the resulting properties.
            properties = await _client.UpdateViewPropertiesAsync(ArangoSchema.View, new JsonObject { ["links"] = wanted.DeepClone() }, cancellationToken).ConfigureAwait(false);
        }
        if (properties is not { } p || !p.TryGetProperty("links", out var links)
            || !links.TryGetProperty(ArangoSchema.Events, out _) || !links.TryGetProperty(ArangoSchema.Learnings, out _))
        {
            throw new StoreQueryException(
                $"The ArangoSearch view {ArangoSchema.View} in {Location} has no link to {ArangoSchema.Events} and {ArangoSchema.Learnings}. " +
                "Drop the view (it is rebuilt from the collections) and run `agentlog init` again.");
        }
    }
}
