using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentScript.Storage.Arango;

internal sealed partial class ArangoClient
{
    /// <summary>
    /// Runs AQL and streams its results batch by batch (<c>POST /_api/cursor</c> with <c>allowRetry</c>, then
    /// <c>POST /_api/cursor/{id}/{nextBatchId}</c>, which the server answers the same way when asked twice, so a lost
    /// answer is fetched again instead of skipping a batch).
    /// When the caller stops early, the server-side cursor is deleted (<c>DELETE /_api/cursor/{id}</c>) instead of
    /// being left to time out. <paramref name="onLastBatch"/> sees the last batch (count, stats).
    /// </summary>
    public async IAsyncEnumerable<JsonElement> QueryAsync(
        string aql, JsonObject? bindVars = null, ArangoQueryOptions? options = null, Action<ArangoCursorBatch>? onLastBatch = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batch = await CreateCursorAsync(aql, bindVars, options ?? ArangoQueryOptions.Default, cancellationToken).ConfigureAwait(false);
        var exhausted = false;
        try
        {
            while (true)
            {
                foreach (var item in batch.Result)
                {
                    yield return item;
                }
                if (!batch.HasMore || batch.Id is null)
                {
                    exhausted = true;
                    onLastBatch?.Invoke(batch);
                    yield break;
                }
                batch = await NextBatchAsync(batch.Id, batch.NextBatchId, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (!exhausted && batch.HasMore && batch.Id is not null)
            {
                await DeleteCursorAsync(batch.Id).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs AQL and collects every result (for small, bounded results).</summary>
    public async Task<(List<JsonElement> Results, ArangoCursorBatch Last)> QueryAllAsync(
        string aql, JsonObject? bindVars = null, ArangoQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArangoCursorBatch? last = null;
        var list = new List<JsonElement>();
        await foreach (var item in QueryAsync(aql, bindVars, options, b => last = b, cancellationToken).ConfigureAwait(false))
        {
            list.Add(item);
        }
        return (list, last!);
    }

    /// <summary><c>POST /_api/cursor</c>.</summary>
    public async Task<ArangoCursorBatch> CreateCursorAsync(string aql, JsonObject? bindVars, ArangoQueryOptions options, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["query"] = aql };
        if (bindVars is { Count: > 0 })
        {
            body["bindVars"] = bindVars;
        }
        body["batchSize"] = options.BatchSize;
        if (options.Count)
        {
            body["count"] = true;
        }
        var ttl = options.TtlSeconds ?? (options.Stream ? ArangoQueryOptions.StreamTtlSeconds : null);
        if (ttl is { } seconds)
        {
            body["ttl"] = seconds;
        }
        // allowRetry: the server keeps the last batch so POST /_api/cursor/{id}/{batchId} can be repeated safely.
        var opts = new JsonObject { ["allowRetry"] = true };
        if (options.Stream)
        {
            opts["stream"] = true;
        }
        if (options.MaxRuntimeSeconds > 0)
        {
            opts["maxRuntime"] = options.MaxRuntimeSeconds;
        }
        if (opts.Count > 0)
        {
            body["options"] = opts;
        }
        // A query that may write must not run twice: it is repeated only when it provably never reached the server.
        var repeatable = options.Repeatable ?? !AqlText.MayWrite(aql);
        var r = await SendAsync(HttpMethod.Post, "/_api/cursor", body, idempotent: repeatable, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ReadBatch(r.Body);
    }

    /// <summary>
    /// The next batch: <c>POST /_api/cursor/{id}/{nextBatchId}</c> (retry-safe) when the server gave a batch id, else
    /// <c>POST /_api/cursor/{id}</c>, which moves the cursor on and so is never repeated after it may have arrived.
    /// </summary>
    public async Task<ArangoCursorBatch> NextBatchAsync(string cursorId, string? nextBatchId, CancellationToken cancellationToken)
    {
        var path = nextBatchId is null
            ? $"/_api/cursor/{Uri.EscapeDataString(cursorId)}"
            : $"/_api/cursor/{Uri.EscapeDataString(cursorId)}/{Uri.EscapeDataString(nextBatchId)}";
        var r = await SendAsync(HttpMethod.Post, path, idempotent: nextBatchId is not null, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ReadBatch(r.Body);
    }

    /// <summary><c>DELETE /_api/cursor/{id}</c>, best effort: a cursor that is gone already (1600) or a failure here must not hide the caller's own outcome.</summary>
    public async Task DeleteCursorAsync(string cursorId)
    {
        try
        {
            using var cts = new CancellationTokenSource(_options.RequestTimeout);
            await SendAsync(HttpMethod.Delete, $"/_api/cursor/{Uri.EscapeDataString(cursorId)}", cancellationToken: cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArangoException or OperationCanceledException)
        {
            // The server drops idle cursors after their TTL anyway.
        }
    }

    /// <summary>
    /// Parses AQL without running it (<c>POST /_api/query</c>) and tells whether it modifies data: true when its
    /// syntax tree holds an INSERT, UPDATE, REPLACE, REMOVE or UPSERT node. Throws the parse error (1501) as is.
    /// </summary>
    public async Task<bool> IsModificationQueryAsync(string aql, CancellationToken cancellationToken = default)
    {
        var r = await SendAsync(HttpMethod.Post, "/_api/query", new JsonObject { ["query"] = aql }, idempotent: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        return r.Body.TryGetProperty("ast", out var ast) && ContainsModification(ast);
    }

    private static bool ContainsModification(JsonElement node)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var child in node.EnumerateArray())
                {
                    if (ContainsModification(child))
                    {
                        return true;
                    }
                }
                return false;
            case JsonValueKind.Object:
                if (node.TryGetProperty("type", out var type) && type.GetString() is "insert" or "update" or "replace" or "remove" or "upsert")
                {
                    return true;
                }
                return node.TryGetProperty("subNodes", out var subs) && ContainsModification(subs);
            default:
                return false;
        }
    }

    private static ArangoCursorBatch ReadBatch(JsonElement body) =>
        body.Deserialize(ArangoJsonContext.Default.ArangoCursorBatch) ?? new ArangoCursorBatch();
}
