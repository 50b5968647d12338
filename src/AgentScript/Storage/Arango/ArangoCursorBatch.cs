using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentScript.Storage.Arango;

/// <summary>One batch of an AQL cursor (<c>POST /_api/cursor</c> and <c>POST /_api/cursor/{id}</c>).</summary>
internal sealed record ArangoCursorBatch
{
    /// <summary>The results of this batch.</summary>
    [JsonPropertyName("result")] public JsonElement[] Result { get; init; } = [];
    /// <summary>More batches wait on the server.</summary>
    [JsonPropertyName("hasMore")] public bool HasMore { get; init; }
    /// <summary>Cursor id (only while <see cref="HasMore"/>).</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }
    /// <summary>Total count when requested.</summary>
    [JsonPropertyName("count")] public long? Count { get; init; }
    /// <summary>
    /// The id of the next batch when the cursor was created with <c>allowRetry</c> (3.11.1+): fetching
    /// <c>POST /_api/cursor/{id}/{nextBatchId}</c> twice returns the same batch, so that request may be retried.
    /// </summary>
    [JsonPropertyName("nextBatchId")] public string? NextBatchId { get; init; }
    /// <summary>Statistics and warnings.</summary>
    [JsonPropertyName("extra")] public JsonElement Extra { get; init; }

    /// <summary><c>extra.stats.writesExecuted</c>, or 0.</summary>
    public long WritesExecuted =>
        Extra.ValueKind == JsonValueKind.Object && Extra.TryGetProperty("stats", out var s) &&
        s.TryGetProperty("writesExecuted", out var w) && w.TryGetInt64(out var n) ? n : 0;
}
