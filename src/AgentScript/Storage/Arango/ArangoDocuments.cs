using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage.Arango;

// Job: times and the document conventions shared by the writing and reading halves.
/// <summary>
/// Maps the model to ArangoDB documents and back. Field names are the snake_case names of DESIGN.md; the
/// document key is the record's id (<c>event_id</c>, <c>execution_id</c>, <c>learning_id</c>, <c>relation_id</c>).
/// Extra fields: <c>ts_unix</c> (Unix seconds, for the TTL index and time windows), <c>seq</c> (insertion
/// position for streaming, from the store's <see cref="ArangoSequence"/>), <c>search_text</c> (everything searchable, for the BM25 view).
/// </summary>
internal static partial class ArangoDocuments
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>Fixed-width UTC ISO-8601 with 100 ns precision, so string order is time order.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads a stored time.</summary>
    public static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Unix seconds with sub-millisecond fraction.</summary>
    public static double UnixSeconds(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
}
