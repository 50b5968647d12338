using System.Text;
using System.Text.Json;
using AgentScript.Model;
using AgentScript.Queries;
using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

internal sealed partial class SqliteLogStore
{
    private const int RelationLimit = 10_000;

    /// <inheritdoc/>
    public Task<IReadOnlyList<AgentLearning>> GetLearningsAsync(LearningQuery query, CancellationToken cancellationToken = default)
    {
        Rules.QueryArguments.Learnings(query);
        var match = query.Text is null ? null : SqliteSearchSyntax.ToMatchExpression(query.Text);
        cancellationToken.ThrowIfCancellationRequested();
        return Run<IReadOnlyList<AgentLearning>>(() =>
        {
            if (query.Text is not null && match is null)
            {
                return [];
            }
            using var connection = OpenRead(readOnly: false);
            using var cmd = connection.CreateCommand();
            var sql = new StringBuilder(match is null
                ? $"SELECT {SqliteRows.LearningColumns} FROM agent_learnings l WHERE 1 = 1"
                : $"SELECT {SqliteRows.LearningColumns} FROM agent_learnings_fts JOIN agent_learnings l ON l.id = agent_learnings_fts.rowid WHERE agent_learnings_fts MATCH $match");
            if (match is not null)
            {
                cmd.Parameters.AddWithValue("$match", match);
            }
            void Filter(string column, string name, object? value)
            {
                if (value is not null)
                {
                    sql.Append(" AND ").Append(column).Append(name);
                    cmd.Parameters.AddWithValue(name, value);
                }
            }
            Filter("l.execution_id = ", "$execution_id", query.ExecutionId);
            Filter("l.script_name = ", "$script_name", query.ScriptName);
            Filter("l.function_name = ", "$function_name", query.FunctionName);
            Filter("l.confidence >= ", "$min_confidence", query.MinConfidence);
            Filter("l.timestamp >= ", "$since", SqliteTime.Format(query.Since));
            sql.Append(match is null ? " ORDER BY l.timestamp DESC, l.id DESC" : " ORDER BY agent_learnings_fts.rank");
            sql.Append(" LIMIT $limit");
            cmd.Parameters.AddWithValue("$limit", query.Limit);
            cmd.CommandText = sql.ToString();
            var list = new List<AgentLearning>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                list.Add(SqliteRows.ReadLearning(reader));
            }
            return list;
        });
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LogRelation>> GetRelationsAsync(string? handle, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Run<IReadOnlyList<LogRelation>>(() =>
        {
            using var connection = OpenRead(readOnly: false);
            using var cmd = handle is null
                ? Command(connection, $"SELECT {SqliteRows.RelationColumns} FROM log_relations ORDER BY created_at, id LIMIT {RelationLimit}")
                : Command(connection, $"SELECT {SqliteRows.RelationColumns} FROM log_relations WHERE from_id = $h OR to_id = $h ORDER BY created_at, id LIMIT {RelationLimit}", ("$h", handle));
            var list = new List<LogRelation>();
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                list.Add(SqliteRows.ReadRelation(reader));
            }
            return list;
        });
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Criteria combine with AND. Events match on time, category and run. Runs are deleted only when no category
    /// is given (a category selects events); learnings when no category or <c>AGENT_LEARNING</c> is given.
    /// Relations that touch anything deleted go too, so none dangles. The FTS rows go in the same transaction.
    /// </remarks>
    public async Task<PruneResult> PruneAsync(PruneRequest request, CancellationToken cancellationToken = default)
    {
        Rules.QueryArguments.Prune(request);
        var ids = request.ExecutionIds is { Count: > 0 } list ? list : null;
        cancellationToken.ThrowIfCancellationRequested();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return Guard(() => Prune(request, ids));
            }
            catch (StoreUnavailableException)
            {
                CloseWriter();
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private PruneResult Prune(PruneRequest request, IReadOnlyList<string>? ids)
    {
        EnsureInitialized();
        OpenWriter();
        var connection = _writer!;
        var cutoff = request.OlderThan is { } age ? SqliteTime.Format(_options.Time.GetUtcNow() - age) : null;
        var idsJson = ids is null ? null : JsonSerializer.Serialize(ids.ToArray(), SqliteJsonContext.Default.StringArray);
        var pruneRuns = request.Category is null;
        var pruneLearnings = request.IncludeLearnings && (request.Category is null || request.Category == LogCategories.Learning);
        long events, runs, learnings, relations;
        using (var tx = connection.BeginTransaction(deferred: false))
        {
            void Exec(string sql)
            {
                using var cmd = Command(connection, sql, ("$cutoff", cutoff), ("$category", request.Category), ("$ids", idsJson));
                cmd.Transaction = tx;
                cmd.ExecuteNonQuery();
            }
            long Count(string table)
            {
                using var cmd = Command(connection, $"SELECT count(*) FROM temp.{table}");
                cmd.Transaction = tx;
                return (long)cmd.ExecuteScalar()!;
            }
            Exec("""
                CREATE TEMP TABLE IF NOT EXISTS prune_events (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL);
                CREATE TEMP TABLE IF NOT EXISTS prune_runs (execution_id TEXT PRIMARY KEY);
                CREATE TEMP TABLE IF NOT EXISTS prune_learnings (id INTEGER PRIMARY KEY, learning_id TEXT NOT NULL);
                CREATE TEMP TABLE IF NOT EXISTS prune_relations (id INTEGER PRIMARY KEY);
                DELETE FROM temp.prune_events; DELETE FROM temp.prune_runs; DELETE FROM temp.prune_learnings; DELETE FROM temp.prune_relations;
                """);
            var eventWhere = new List<string>();
            var runWhere = new List<string>();
            var learningWhere = new List<string>();
            if (cutoff is not null)
            {
                eventWhere.Add("timestamp < $cutoff");
                runWhere.Add("start_time < $cutoff");
                learningWhere.Add("timestamp < $cutoff");
            }
            if (request.Category is not null)
            {
                eventWhere.Add("log_category = $category");
            }
            if (idsJson is not null)
            {
                const string inIds = "execution_id IN (SELECT value FROM json_each($ids))";
                eventWhere.Add(inIds);
                runWhere.Add(inIds);
                learningWhere.Add(inIds);
            }
            Exec("INSERT INTO temp.prune_events (id, event_id) SELECT id, event_id FROM log_events WHERE " + string.Join(" AND ", eventWhere));
            if (pruneRuns)
            {
                Exec("INSERT INTO temp.prune_runs (execution_id) SELECT execution_id FROM script_runs WHERE " + string.Join(" AND ", runWhere));
            }
            if (pruneLearnings)
            {
                Exec("INSERT INTO temp.prune_learnings (id, learning_id) SELECT id, learning_id FROM agent_learnings WHERE " + (learningWhere.Count == 0 ? "1 = 1" : string.Join(" AND ", learningWhere)));
            }
            Exec("""
                INSERT INTO temp.prune_relations (id)
                WITH gone (handle) AS (
                    SELECT 'log_events/' || event_id FROM temp.prune_events
                    UNION ALL SELECT 'script_runs/' || execution_id FROM temp.prune_runs
                    UNION ALL SELECT 'agent_learnings/' || learning_id FROM temp.prune_learnings)
                SELECT id FROM log_relations WHERE from_id IN (SELECT handle FROM gone)
                UNION SELECT id FROM log_relations WHERE to_id IN (SELECT handle FROM gone)
                """);
            events = Count("prune_events");
            runs = Count("prune_runs");
            learnings = Count("prune_learnings");
            relations = Count("prune_relations");
            if (request.DryRun)
            {
                tx.Rollback();
                return new PruneResult(events, runs, learnings, relations, DryRun: true);
            }
            Exec("""
                UPDATE store_counts SET n = n - (SELECT count(*) FROM temp.prune_events) WHERE name = 'log_events';
                DELETE FROM log_events_fts WHERE rowid IN (SELECT id FROM temp.prune_events);
                DELETE FROM log_events WHERE id IN (SELECT id FROM temp.prune_events);
                DELETE FROM script_runs WHERE execution_id IN (SELECT execution_id FROM temp.prune_runs);
                DELETE FROM agent_learnings_fts WHERE rowid IN (SELECT id FROM temp.prune_learnings);
                DELETE FROM agent_learnings WHERE id IN (SELECT id FROM temp.prune_learnings);
                DELETE FROM log_relations WHERE id IN (SELECT id FROM temp.prune_relations);
                DELETE FROM temp.prune_events; DELETE FROM temp.prune_runs; DELETE FROM temp.prune_learnings; DELETE FROM temp.prune_relations;
                """);
            tx.Commit();
        }
        if (events >= _options.OptimizeAfterPrunedEvents)
        {
            // Merges the FTS b-trees left fragmented by many deletes, keeping searches fast.
            using var optimize = Command(connection, "INSERT INTO log_events_fts (log_events_fts) VALUES ('optimize')");
            optimize.ExecuteNonQuery();
        }
        return new PruneResult(events, runs, learnings, relations, DryRun: false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Parameters are named <c>@name</c>, <c>$name</c> or <c>:name</c> in the SQL; dictionary keys may carry the
    /// prefix or not. Without <paramref name="allowWrites"/> the query runs on a connection opened read-only, so
    /// no statement (not even a PRAGMA) can change the store; a PRAGMA that would is refused before it runs.
    /// Cancelling <paramref name="cancellationToken"/> interrupts a running statement (how callers bound its time).
    /// </remarks>
    public Task<RawQueryResult> QueryAsync(string query, IReadOnlyDictionary<string, object?>? parameters = null, bool allowWrites = false, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Rules.QueryArguments.NativeQuery(query, "an SQL statement, for example: SELECT count(*) FROM log_events") is { } empty)
        {
            return Task.FromException<RawQueryResult>(empty);
        }
        if (!allowWrites && WritesOtherFiles(query))
        {
            // A read-only connection still lets VACUUM INTO write a copy of the store, and ATTACH open other files.
            return Task.FromException<RawQueryResult>(new StoreQueryException("The query uses VACUUM or ATTACH, which write or open other files, but raw queries are read-only. Ask for writes explicitly (allowWrites, or agentlog query --write) if that is intended."));
        }
        return Run(() =>
        {
            using var connection = OpenRead(readOnly: !allowWrites);
            if (!allowWrites && SqliteQueryGuard.WritingPragma(connection, query) is { } pragma)
            {
                throw new StoreQueryException($"'{pragma}' would change the store, but raw queries are read-only, so it was refused without running. Ask for writes explicitly (allowWrites, or agentlog query --write) if that is intended.");
            }
            using var interrupt = SqliteQueryGuard.InterruptOn(connection, cancellationToken);
            using var cmd = connection.CreateCommand();
            cmd.CommandText = query;
            if (parameters is not null)
            {
                foreach (var (name, value) in parameters)
                {
                    cmd.Parameters.AddWithValue(name, ToSqliteValue(value));
                }
            }
            try
            {
                var columns = new List<string>();
                var rows = new List<IReadOnlyList<object?>>();
                using var reader = cmd.ExecuteReader();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    columns.Add(reader.GetName(i));
                }
                while (reader.Read())
                {
                    var row = new object?[reader.FieldCount];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is byte[] blob ? Convert.ToBase64String(blob) : reader.GetValue(i);
                    }
                    rows.Add(row);
                }
                while (reader.NextResult())
                {
                    // Run the remaining statements; only the first result set is returned.
                }
                var affected = reader.RecordsAffected;
                reader.Dispose();
                if (allowWrites && query.Contains("log_events", StringComparison.OrdinalIgnoreCase))
                {
                    // A hand-made change may have added or removed events behind the kept count.
                    using var recount = Command(connection, SqliteSchema.RecountEvents);
                    recount.ExecuteNonQuery();
                }
                return new RawQueryResult(columns, rows, allowWrites && affected >= 0 ? affected : null);
            }
            catch (SqliteException e) when (SqliteQueryGuard.IsInterrupt(e) && cancellationToken.IsCancellationRequested)
            {
                // Stopped by the caller's time limit or cancellation (the token interrupts the statement).
                throw new OperationCanceledException("The query was stopped before it finished.", e, cancellationToken);
            }
            catch (SqliteException e) when (!allowWrites && SqliteErrors.PrimaryCode(e) == 8)
            {
                throw new StoreQueryException($"The query tries to change the store, but raw queries are read-only. Ask for writes explicitly (allowWrites, or agentlog query --write) if that is intended. (SQLite: {e.Message})", e);
            }
            catch (SqliteException e) when (!SqliteErrors.IsUnavailable(e))
            {
                throw new StoreQueryException($"SQLite rejected the query: {e.Message}", e);
            }
            catch (InvalidOperationException e)
            {
                // Microsoft.Data.Sqlite reports missing parameter values this way, without naming them.
                var missing = ParameterNames(query).Where(n => parameters is null || !parameters.Keys.Any(k => k == n || k == n[1..])).ToList();
                throw new StoreQueryException(missing.Count > 0
                    ? $"The query needs values for these parameters: {string.Join(", ", missing)}. Pass them as named parameters (for example --param {missing[0][1..]}=value)."
                    : $"The query could not run: {e.Message}", e);
            }
        });
    }

    /// <summary>The <c>@name</c>, <c>$name</c> and <c>:name</c> parameters in SQL text, skipping quoted text and comments.</summary>
    internal static IReadOnlyList<string> ParameterNames(string sql)
    {
        var names = new List<string>();
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`')
            {
                var end = sql.IndexOf(c, i + 1);
                i = end < 0 ? sql.Length : end;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end;
            }
            else if (c is '@' or '$' or ':' && i + 1 < sql.Length && (char.IsLetter(sql[i + 1]) || sql[i + 1] == '_'))
            {
                var start = i++;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_'))
                {
                    i++;
                }
                var name = sql[start..i];
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
                i--;
            }
        }
        return names;
    }

    private static object ToSqliteValue(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset t => SqliteTime.Format(t),
        DateTime t => SqliteTime.Format(new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t)),
        Guid g => g.ToString("N"),
        Enum e => e.ToString(),
        JsonElement j => j.ValueKind switch
        {
            JsonValueKind.String => j.GetString()!,
            JsonValueKind.Number => j.TryGetInt64(out var l) ? l : j.GetDouble(),
            JsonValueKind.True => 1L,
            JsonValueKind.False => 0L,
            JsonValueKind.Null or JsonValueKind.Undefined => DBNull.Value,
            _ => j.GetRawText(),
        },
        _ => value,
    };

    /// <summary>True when a statement of <paramref name="sql"/> (string literals and comments ignored) starts with VACUUM or ATTACH.</summary>
    internal static bool WritesOtherFiles(string sql)
    {
        var code = System.Text.RegularExpressions.Regex.Replace(sql, @"'(?:[^']|'')*'|""(?:[^""]|"""")*""|--[^\n]*|/\*.*?(\*/|$)", " ", System.Text.RegularExpressions.RegexOptions.Singleline);
        return System.Text.RegularExpressions.Regex.IsMatch(code, @"(^|;)\s*(VACUUM|ATTACH)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }
}
