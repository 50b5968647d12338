using System.Runtime.CompilerServices;
using System.Text;
using AgentScript.Model;
using AgentScript.Queries;
using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

public sealed partial class SqliteLogStore
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var match = SqliteSearchSyntax.ToMatchExpression(query.Text);
        if (query.Limit is < 1 or > 1000)
        {
            throw new ArgumentException($"The search limit {query.Limit} is out of range. Use 1 to 1000.", nameof(query));
        }
        if (query.Offset < 0)
        {
            throw new ArgumentException($"The search offset {query.Offset} is negative.", nameof(query));
        }
        var level = query.Level is null ? null : LogLevels.Normalize(query.Level);
        cancellationToken.ThrowIfCancellationRequested();
        return Run<IReadOnlyList<SearchHit>>(() =>
        {
            if (match is null)
            {
                return [];
            }
            using var connection = OpenRead(readOnly: false);
            using var cmd = connection.CreateCommand();
            // Inner query: the matching rows that pass the filters, with their bm25 rank. With a candidate limit
            // it walks the FTS doclist newest first and stops after that many, so a very common word costs a
            // bounded number of bm25 computations; the outer query keeps the best of them.
            var sql = new StringBuilder(
                "SELECT e.id AS rid, log_events_fts.rank AS score FROM log_events_fts JOIN log_events e ON e.id = log_events_fts.rowid WHERE log_events_fts MATCH $match");
            cmd.Parameters.AddWithValue("$match", match);
            if (query.ExecutionId is not null)
            {
                // The run's events lie in a rowid range; FTS5 applies rowid bounds inside the index scan, so a
                // search within one run does not rank every matching row of the whole store.
                if (RowRange(connection, query.ExecutionId) is not { } range)
                {
                    return [];
                }
                sql.Append(" AND log_events_fts.rowid BETWEEN $min AND $max AND e.execution_id = $execution_id");
                cmd.Parameters.AddWithValue("$min", range.Min);
                cmd.Parameters.AddWithValue("$max", range.Max);
                cmd.Parameters.AddWithValue("$execution_id", query.ExecutionId);
            }
            AppendEventFilters(sql, cmd, level, query.ScriptName, query.Category, query.Since, query.Until);
            if (_options.SearchCandidateLimit is { } cap)
            {
                sql.Append(" ORDER BY log_events_fts.rowid DESC LIMIT $cap");
                cmd.Parameters.AddWithValue("$cap", Math.Max(cap, query.Offset + query.Limit));
            }
            sql.Insert(0, $"SELECT {SqliteRows.EventColumns}, m.score FROM (");
            sql.Append(") m JOIN log_events e ON e.id = m.rid ORDER BY m.score, e.id LIMIT $limit OFFSET $offset");
            cmd.Parameters.AddWithValue("$limit", query.Limit);
            cmd.Parameters.AddWithValue("$offset", query.Offset);
            cmd.CommandText = sql.ToString();
            var hits = new List<SearchHit>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                // FTS5's rank is bm25() negated (lower is better); the API promises larger is better.
                hits.Add(new SearchHit(SqliteRows.ReadEvent(reader), -reader.GetDouble(SqliteRows.EventColumnCount)));
            }
            return hits;
        });
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
        ArgumentNullException.ThrowIfNull(filter);
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
        if (filter.Limit is <= 0)
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
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit < 1 || query.Offset < 0)
        {
            throw new ArgumentException($"Bad paging (limit {query.Limit}, offset {query.Offset}): the limit must be at least 1 and the offset not negative.", nameof(query));
        }
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
            var liveFilter = query.Status is RunStatus.Running or RunStatus.Abandoned;
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
                runs.Add(RunLiveness.Resolve(SqliteRows.ReadRun(reader)));
            }
            return liveFilter
                ? [.. runs.Where(r => r.Status == query.Status).Skip(query.Offset).Take(query.Limit)]
                : runs;
        });
    }

    /// <inheritdoc/>
    public Task<LatestResponse?> GetLatestResponseAsync(string? scriptName, string? executionId = null, CancellationToken cancellationToken = default)
    {
        if (scriptName is null && executionId is null)
        {
            throw new ArgumentException("Give a script name or an execution id to find a final response.", nameof(scriptName));
        }
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
                var response = run.FinalResponseJson ?? FinalResponseEvent(connection, executionId);
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
