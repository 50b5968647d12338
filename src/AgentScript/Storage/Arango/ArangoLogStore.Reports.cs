// Job: the performance report and raw AQL queries of the ArangoDB store.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Queries;
using AgentScript.Storage.Rules;

namespace AgentScript.Storage.Arango;

internal sealed partial class ArangoLogStore
{
    /// <inheritdoc/>
    public Task<PerformanceReport> GetPerformanceAsync(string? scriptName, int days, CancellationToken cancellationToken = default)
    {
        QueryArguments.Days(days);
        return Guard(async () =>
        {
            var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
            var firstDay = today.AddDays(-(days - 1));
            var since = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var bind = new JsonObject { ["since"] = ArangoDocuments.Time(since), ["script"] = scriptName };
            var (rows, _) = await _client.QueryAllAsync(AqlQueries.PerformanceByScript, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
            var scripts = new List<ScriptPerformance>();
            foreach (var r in rows)
            {
                var running = r.GetProperty("running").EnumerateArray().ToList();
                var dead = running.Count(x => RunLiveness.IsAbandoned(ArangoDocuments.Dbl(x, "pid") is { } p ? (int)p : 0, ArangoDocuments.Str(x, "host"),
                    ArangoDocuments.Str(x, "start_time") is { } st ? ArangoDocuments.ParseTime(st) : DateTimeOffset.MinValue));
                var runs = r.GetProperty("runs").GetInt32();
                var ok = r.GetProperty("success").GetInt32();
                var failed = r.GetProperty("failed").GetInt32();
                var cancelled = r.GetProperty("cancelled").GetInt32();
                var abandoned = r.GetProperty("abandoned").GetInt32() + dead;
                var ended = ok + failed + cancelled + abandoned;
                scripts.Add(new ScriptPerformance(
                    r.GetProperty("script").GetString() ?? "", runs, ok, failed, cancelled, abandoned,
                    ended == 0 ? 0 : (double)ok / ended,
                    ArangoDocuments.Dbl(r, "p50"), ArangoDocuments.Dbl(r, "p90"), ArangoDocuments.Dbl(r, "p99"), ArangoDocuments.Dbl(r, "max")));
            }
            var (trendRows, _) = await _client.QueryAllAsync(AqlQueries.PerformanceTrend, bind.DeepClone().AsObject(), cancellationToken: cancellationToken).ConfigureAwait(false);
            var t = trendRows[0];
            var errors = t.GetProperty("errors").EnumerateArray().ToDictionary(x => x.GetProperty("day").GetString()!, x => x.GetProperty("n").GetInt64());
            var byDay = t.GetProperty("runs").EnumerateArray().ToDictionary(x => x.GetProperty("day").GetString()!, x => (Runs: x.GetProperty("runs").GetInt32(), Failed: x.GetProperty("failed").GetInt32()));
            var trend = new List<DailyTrend>(days);
            for (var d = firstDay; d <= today; d = d.AddDays(1))
            {
                var key = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                var (n, f) = byDay.TryGetValue(key, out var v) ? v : (0, 0);
                trend.Add(new DailyTrend(d, n, f, errors.TryGetValue(key, out var e) ? e : 0));
            }
            return new PerformanceReport { ScriptName = scriptName, Days = days, Scripts = scripts, Trend = trend };
        });
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Read-only mode parses the query first (<c>POST /_api/query</c>) and refuses it when the syntax tree holds
    /// an INSERT, UPDATE, REPLACE, REMOVE or UPSERT node — the server's own parser decides, not a text match.
    /// </remarks>
    public Task<RawQueryResult> QueryAsync(string query, IReadOnlyDictionary<string, object?>? parameters = null, bool allowWrites = false, CancellationToken cancellationToken = default)
    {
        if (QueryArguments.NativeQuery(query, "an AQL query, for example: RETURN LENGTH(log_events)") is { } empty)
        {
            return Task.FromException<RawQueryResult>(empty);
        }
        return Guard(async () =>
        {
            if (!allowWrites && await _client.IsModificationQueryAsync(query, cancellationToken).ConfigureAwait(false))
            {
                throw new StoreQueryException(
                    "The AQL query modifies data (INSERT, UPDATE, REPLACE, REMOVE or UPSERT) but queries are read-only. " +
                    "Pass --write to agentlog query (allowWrites: true in code) if you mean it.");
            }
            var bind = new JsonObject();
            foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
            {
                // ArangoDB's convention: "x" binds @x, "@coll" binds the collection parameter @@coll; "@@coll" is accepted for the latter too.
                bind[name.StartsWith("@@", StringComparison.Ordinal) ? name[1..] : name] = ArangoDocuments.ToNode(value);
            }
            // A query the parser found read-only may be repeated after a lost answer; a writing one never. The server
            // stops the query when the client would stop waiting for it (ARANGO_TIMEOUT), so an abandoned raw query
            // does not keep running there.
            var options = new ArangoQueryOptions { Repeatable = !allowWrites, MaxRuntimeSeconds = _options.RequestTimeout.TotalSeconds };
            var (rows, last) = await _client.QueryAllAsync(query, bind, options, cancellationToken).ConfigureAwait(false);
            var columns = new List<string>();
            var scalar = false;
            foreach (var row in rows)
            {
                if (row.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in row.EnumerateObject())
                    {
                        if (!columns.Contains(p.Name)) columns.Add(p.Name);
                    }
                }
                else
                {
                    scalar = true;
                }
            }
            if (scalar && !columns.Contains("value"))
            {
                columns.Add("value");
            }
            var table = rows.Select(row => (IReadOnlyList<object?>)columns.Select(c =>
                row.ValueKind == JsonValueKind.Object
                    ? (row.TryGetProperty(c, out var v) ? Scalar(v) : null)
                    : (c == "value" ? Scalar(row) : null)).ToList()).ToList();
            return new RawQueryResult(columns, table, allowWrites ? (int)last.WritesExecuted : null);
        });
    }

    private static object? Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.TryGetInt64(out var l) ? l : v.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => v.GetRawText(),
    };
}
