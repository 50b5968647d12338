using System.Runtime.CompilerServices;
using System.Text;
using AgentScript.Model;
using AgentScript.Queries;
using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

internal sealed partial class SqliteLogStore
{
    /// <summary>
    /// BM25 search. Unless <see cref="SearchQuery.Exhaustive"/> is set (or <see cref="SqliteLogStoreOptions.SearchCandidates"/>
    /// is null), the search walks the full-text index from the newest event back and ranks only the first
    /// <see cref="SqliteLogStoreOptions.SearchCandidates"/> matches that pass the filters (at least a full page):
    /// the hits are the best of the newest matches, which keeps a search for a common word fast on a big store. A
    /// search whose words match fewer events is ranked exactly. The result is a <see cref="SearchResults"/> that
    /// says which case applied and, when the ranking stopped early, the time of the oldest ranked match.
    /// </summary>
    /// <inheritdoc/>
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        Rules.QueryArguments.Search(query);
        var match = SqliteSearchSyntax.ToMatchExpression(query.Text);
        var level = query.Level is null ? null : LogLevels.Normalize(query.Level);
        cancellationToken.ThrowIfCancellationRequested();
        return Run<IReadOnlyList<SearchHit>>(() =>
        {
            if (match is null)
            {
                return new SearchResults([], exhaustive: true, 0, null);
            }
            using var connection = OpenQuery();
            var page = query.Offset + query.Limit;
            long? budget = query.Exhaustive || _options.SearchCandidates is not { } candidates ? null : Math.Max(candidates, page);
            using var cmd = connection.CreateCommand();
            // Only (rowid, rank) pairs cross into .NET; the page's events are read afterwards by id. The join with
            // log_events is made only when a filter needs it.
            var filtered = level is not null || query.ScriptName is not null || query.Category is not null || query.Since is not null || query.Until is not null || query.ExecutionId is not null;
            var sql = new StringBuilder("SELECT log_events_fts.rowid, log_events_fts.rank FROM log_events_fts");
            if (filtered)
            {
                sql.Append(" JOIN log_events e ON e.id = log_events_fts.rowid");
            }
            sql.Append(" WHERE log_events_fts MATCH $match");
            cmd.Parameters.AddWithValue("$match", match);
            if (query.ExecutionId is not null)
            {
                // The run's events lie in a rowid range; FTS5 applies rowid bounds inside the index scan, so a
                // search within one run does not walk the matches of the whole store.
                if (RowRange(connection, query.ExecutionId) is not { } range)
                {
                    return new SearchResults([], exhaustive: true, 0, null);
                }
                sql.Append(" AND log_events_fts.rowid BETWEEN $min AND $max AND e.execution_id = $execution_id");
                cmd.Parameters.AddWithValue("$min", range.Min);
                cmd.Parameters.AddWithValue("$max", range.Max);
                cmd.Parameters.AddWithValue("$execution_id", query.ExecutionId);
            }
            AppendEventFilters(sql, cmd, level, query.ScriptName, query.Category, query.Since, query.Until);
            if (budget is not null)
            {
                // FTS5 walks its doclists newest first itself, and bm25 ("rank") is computed only for the rows read,
                // so stopping after the budget bounds the cost whatever the number of matches.
                sql.Append(" ORDER BY log_events_fts.rowid DESC");
            }
            cmd.CommandText = sql.ToString();

            // The best `page` (rank, id) pairs: FTS5's rank is bm25 negated, lower is better; ties go to the older event.
            var best = new PriorityQueue<long, (double Rank, long Id)>(page + 1, WorstFirst.Instance);
            long ranked = 0, oldestRanked = 0;
            var stopped = false;
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (budget is { } b && ranked >= b)
                    {
                        stopped = true; // a further match exists that was not ranked
                        break;
                    }
                    var id = reader.GetInt64(0);
                    var rank = reader.GetDouble(1);
                    ranked++;
                    oldestRanked = id;
                    if (best.Count < page)
                    {
                        best.Enqueue(id, (rank, id));
                    }
                    else if (best.TryPeek(out _, out var worst) && WorstFirst.Instance.Compare((rank, id), worst) > 0)
                    {
                        best.DequeueEnqueue(id, (rank, id));
                    }
                }
            }
            var ordered = new List<(long Id, double Rank)>(best.Count);
            while (best.TryDequeue(out var id, out var key))
            {
                ordered.Add((id, key.Rank));
            }
            ordered.Reverse(); // the heap yields worst first
            var pageIds = ordered.Skip(query.Offset).ToList();
            var events = ReadEventsById(connection, pageIds.Select(p => p.Id));
            var hits = new List<SearchHit>(pageIds.Count);
            foreach (var (id, rank) in pageIds)
            {
                if (events.TryGetValue(id, out var e))
                {
                    hits.Add(new SearchHit(e, -rank)); // the API promises larger is better
                }
            }
            DateTimeOffset? since = null;
            if (stopped)
            {
                using var t = connection.CreateCommand();
                t.CommandText = "SELECT timestamp FROM log_events WHERE id = $id";
                t.Parameters.AddWithValue("$id", oldestRanked);
                since = t.ExecuteScalar() is string ts ? SqliteTime.Parse(ts) : null;
            }
            return new SearchResults(hits, exhaustive: !stopped, ranked, since);
        });
    }

    /// <summary>
    /// Opens a pooled connection for a query, with the file memory-mapped: bm25 reads the document size of every
    /// ranked row and the summary and context queries walk index ranges, all scattered page reads that cost a system
    /// call each through the page cache (a 1,000-match search of mid-frequency words: ~20 ms read, ~1.5 ms mapped).
    /// The setting is per connection; pooled connections keep it, and setting it again is cheap.
    /// </summary>
    private SqliteConnection OpenQuery()
    {
        var connection = OpenRead(readOnly: false);
        try
        {
            Exec(connection, $"PRAGMA mmap_size = {QueryMmapBytes};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Most bytes of the file a query connection maps (address space only; the OS shares the pages).</summary>
    private const long QueryMmapBytes = 1L << 30;

    /// <summary>Orders (rank, id) so that the worse hit comes first: higher rank, then newer (larger) id.</summary>
    private sealed class WorstFirst : IComparer<(double Rank, long Id)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((double Rank, long Id) x, (double Rank, long Id) y)
        {
            var c = y.Rank.CompareTo(x.Rank);
            return c != 0 ? c : y.Id.CompareTo(x.Id);
        }
    }

    private static Dictionary<long, LogEventRecord> ReadEventsById(SqliteConnection connection, IEnumerable<long> ids)
    {
        var result = new Dictionary<long, LogEventRecord>();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {SqliteRows.EventColumns} FROM log_events e WHERE e.id = $id";
        var p = cmd.Parameters.Add("$id", SqliteType.Integer);
        foreach (var id in ids)
        {
            p.Value = id;
            using var reader = cmd.ExecuteReader();
            if (reader.Read())
            {
                result[id] = SqliteRows.ReadEvent(reader);
            }
        }
        return result;
    }

    private static (long Min, long Max)? RowRange(SqliteConnection connection, string executionId)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT min(id), max(id) FROM log_events WHERE execution_id = $execution_id";
        cmd.Parameters.AddWithValue("$execution_id", executionId);
        using var reader = cmd.ExecuteReader();
        return reader.Read() && !reader.IsDBNull(0) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    private static void AppendEventFilters(StringBuilder sql, SqliteCommand cmd, string? level, string? scriptName, string? category, DateTimeOffset? since, DateTimeOffset? until)
    {
        if (level is not null)
        {
            sql.Append(" AND e.level = $level");
            cmd.Parameters.AddWithValue("$level", level);
        }
        if (scriptName is not null)
        {
            sql.Append(" AND e.script_name = $script_name");
            cmd.Parameters.AddWithValue("$script_name", scriptName);
        }
        if (category is not null)
        {
            sql.Append(" AND e.log_category = $category");
            cmd.Parameters.AddWithValue("$category", category);
        }
        if (since is { } s)
        {
            sql.Append(" AND e.timestamp >= $since");
            cmd.Parameters.AddWithValue("$since", SqliteTime.Format(s));
        }
        if (until is { } u)
        {
            sql.Append(" AND e.timestamp < $until");
            cmd.Parameters.AddWithValue("$until", SqliteTime.Format(u));
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StreamedEvent> StreamEventsAsync(EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var any = Rules.QueryArguments.Stream(filter);
        var level = filter.Level is null ? null : LogLevels.Normalize(filter.Level);
        string? match = null;
        if (filter.Text is not null)
        {
            match = SqliteSearchSyntax.ToMatchExpression(filter.Text);
            if (match is null)
            {
                yield break;
            }
        }
        if (!any)
        {
            yield break;
        }
        await Task.CompletedTask.ConfigureAwait(false);
        using var connection = Guard(() => OpenRead(readOnly: false));
        using var cmd = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {SqliteRows.EventColumns} FROM log_events e WHERE 1 = 1");
        if (filter.ExecutionId is not null)
        {
            sql.Append(" AND e.execution_id = $execution_id");
            cmd.Parameters.AddWithValue("$execution_id", filter.ExecutionId);
        }
        if (match is not null)
        {
            sql.Append(" AND e.id IN (SELECT rowid FROM log_events_fts WHERE log_events_fts MATCH $match)");
            cmd.Parameters.AddWithValue("$match", match);
        }
        if (filter.AfterPosition is { } after)
        {
            sql.Append(" AND e.id > $after");
            cmd.Parameters.AddWithValue("$after", after);
        }
        AppendEventFilters(sql, cmd, level, filter.ScriptName, filter.Category, filter.Since, filter.Until);
        sql.Append(" ORDER BY e.id");
        if (filter.Limit is { } limit)
        {
            sql.Append(" LIMIT $limit");
            cmd.Parameters.AddWithValue("$limit", limit);
        }
        cmd.CommandText = sql.ToString();
        using var reader = Guard(() => cmd.ExecuteReader());
        while (Guard(reader.Read))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new StreamedEvent(reader.GetInt64(0), SqliteRows.ReadEvent(reader));
        }
    }

    /// <inheritdoc/>
    public Task<ScriptRun?> GetRunAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        cancellationToken.ThrowIfCancellationRequested();
        return Run(() =>
        {
            using var connection = OpenRead(readOnly: false);
            return ReadRun(connection, executionId);
        });
    }

    private static ScriptRun? ReadRun(SqliteConnection connection, string executionId)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {SqliteRows.RunColumns} FROM script_runs r WHERE r.execution_id = $execution_id";
        cmd.Parameters.AddWithValue("$execution_id", executionId);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? RunLiveness.Resolve(SqliteRows.ReadRun(reader)) : null;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        Rules.QueryArguments.Runs(query);
        cancellationToken.ThrowIfCancellationRequested();
        return Run<IReadOnlyList<ScriptRun>>(() =>
        {
            using var connection = OpenRead(readOnly: false);
            using var cmd = connection.CreateCommand();
            var sql = new StringBuilder($"SELECT {SqliteRows.RunColumns} FROM script_runs r WHERE 1 = 1");
            if (query.ScriptName is not null)
            {
                sql.Append(" AND r.script_name = $script_name");
                cmd.Parameters.AddWithValue("$script_name", query.ScriptName);
            }
            if (query.Since is { } since)
            {
                sql.Append(" AND r.start_time >= $since");
                cmd.Parameters.AddWithValue("$since", SqliteTime.Format(since));
            }
            // Running and abandoned are told apart only by checking the process, so both read the rows stored
            // as running (or abandoned) and filter and page after the check.
            var liveFilter = Rules.RunPaging.PagesAfterLiveness(query);
            if (liveFilter)
            {
                sql.Append(" AND r.status IN ('running', 'abandoned')");
            }
            else if (query.Status is { } status)
            {
                sql.Append(" AND r.status = $status");
                cmd.Parameters.AddWithValue("$status", status.ToName());
            }
            sql.Append(" ORDER BY r.start_time DESC, r.id DESC");
            if (!liveFilter)
            {
                sql.Append(" LIMIT $limit OFFSET $offset");
                cmd.Parameters.AddWithValue("$limit", query.Limit);
                cmd.Parameters.AddWithValue("$offset", query.Offset);
            }
            cmd.CommandText = sql.ToString();
            var runs = new List<ScriptRun>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                runs.Add(SqliteRows.ReadRun(reader));
            }
            return Rules.RunPaging.Finish(query, runs);
        });
    }

    /// <inheritdoc/>
    public Task<LatestResponse?> GetLatestResponseAsync(string? scriptName, string? executionId = null, CancellationToken cancellationToken = default)
    {
        Rules.QueryArguments.Latest(scriptName, executionId);
        cancellationToken.ThrowIfCancellationRequested();
        return Run(() =>
        {
            using var connection = OpenRead(readOnly: false);
            if (executionId is not null)
            {
                if (ReadRun(connection, executionId) is not { } run)
                {
                    return null;
                }
                var response = Rules.ProgressRules.FinalResponse(run, run.FinalResponseJson is null ? FinalResponseEvent(connection, executionId) : null);
                return response is null ? null : ToLatest(run, response);
            }
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"""
                SELECT {SqliteRows.RunColumns} FROM script_runs r
                WHERE r.script_name = $script_name AND r.status = 'success' AND r.final_response IS NOT NULL
                ORDER BY r.start_time DESC, r.id DESC LIMIT 1
                """;
            cmd.Parameters.AddWithValue("$script_name", scriptName);
            using var reader = cmd.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }
            var latest = SqliteRows.ReadRun(reader);
            return ToLatest(latest, latest.FinalResponseJson!);
        });
    }

    private static LatestResponse ToLatest(ScriptRun run, string response) =>
        new(run.ExecutionId, run.ScriptName, run.Mode, run.Status, run.EndTime ?? run.StartTime, response);

    private static string? FinalResponseEvent(SqliteConnection connection, string executionId)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT payload FROM log_events WHERE execution_id = $execution_id AND log_category = $category AND payload IS NOT NULL ORDER BY timestamp DESC, id DESC LIMIT 1";
        cmd.Parameters.AddWithValue("$execution_id", executionId);
        cmd.Parameters.AddWithValue("$category", LogCategories.FinalResponse);
        return cmd.ExecuteScalar() as string;
    }
}
