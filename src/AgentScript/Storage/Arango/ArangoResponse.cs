using System.Net;
using System.Text.Json;

namespace AgentScript.Storage.Arango;

/// <summary>A successful answer: status, headers and the parsed JSON body (undefined when there was none).</summary>
internal sealed record ArangoResponse(HttpStatusCode Status, JsonElement Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>A header value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}
