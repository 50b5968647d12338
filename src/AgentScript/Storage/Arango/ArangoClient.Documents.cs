using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentScript.Storage.Arango;

internal sealed partial class ArangoClient
{
    /// <summary>
    /// Inserts many documents in one request (<c>POST /_api/document/{collection}</c> with an array). The answer
    /// holds one result per input item, in order, even when some items fail (the call itself succeeds). With
    /// <paramref name="ignoreExisting"/> an existing <c>_key</c> is left alone (<c>overwriteMode=ignore</c>),
    /// which makes a replayed batch a no-op.
    /// </summary>
    public async Task<IReadOnlyList<ArangoDocumentResult>> InsertManyAsync(
        string collection, IReadOnlyList<JsonObject> documents, bool ignoreExisting = true, CancellationToken cancellationToken = default)
    {
        if (documents.Count == 0)
        {
            return [];
        }
        var array = new JsonArray([.. documents]);
        List<KeyValuePair<string, string>> query = ignoreExisting ? [new("overwriteMode", "ignore")] : [];
        var r = await SendAsync(HttpMethod.Post, $"/_api/document/{Uri.EscapeDataString(collection)}", array, query, idempotent: ignoreExisting, cancellationToken: cancellationToken).ConfigureAwait(false);
        var results = new List<ArangoDocumentResult>(documents.Count);
        foreach (var item in r.Body.EnumerateArray())
        {
            if (item.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.True)
            {
                results.Add(new ArangoDocumentResult(null, null,
                    item.TryGetProperty("errorNum", out var n) ? n.GetInt32() : 0,
                    item.TryGetProperty("errorMessage", out var m) ? m.GetString() : null));
            }
            else
            {
                results.Add(new ArangoDocumentResult(
                    item.TryGetProperty("_key", out var k) ? k.GetString() : null,
                    item.TryGetProperty("_rev", out var rev) ? rev.GetString() : null, 0, null));
            }
        }
        return results;
    }

    /// <summary>One document, or null when it (or its collection) does not exist.</summary>
    public async Task<JsonElement?> GetDocumentAsync(string collection, string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var r = await SendAsync(HttpMethod.Get, $"/_api/document/{Uri.EscapeDataString(collection)}/{Uri.EscapeDataString(key)}", cancellationToken: cancellationToken).ConfigureAwait(false);
            return r.Body;
        }
        catch (ArangoException ex) when (ex.ErrorNum == 1202)
        {
            return null;
        }
    }
}
