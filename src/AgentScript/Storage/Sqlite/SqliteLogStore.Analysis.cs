using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentScript.Model;
using AgentScript.Queries;
using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

internal sealed partial class SqliteLogStore
{
    private const int SummaryErrorLimit = 100;
    private const int ErrorLimit = 1000;
    private const int ContextLimit = 1000;
    private const int GraphEventLimit = 10_000;

    /// <inheritdoc/>
    public Task<ExecutionSummary?> GetExecutionSummaryAsync(string executionId, CancellationToken cancellationToken = default)
    {
        Rules.QueryArguments.ExecutionId(executionId);
        cancellationToken.ThrowIfCancellationRequested();
        return Run(() =>
        {
            using var connection = OpenQuery();
            if (ReadRun(connection, executionId) is not { } run)
            {
                return null;
            }
            // An ended run carries the per-level counts of every event it logged (written by EndRun after its
            // events, so they are stored by then); counting a 100,000-event run's index entries costs tens of
            // milliseconds, so those are used when they add up. A running run (or one whose stored counts do not add
            // up, e.g. ended by other means) is counted from the (execution_id, log_category, level, timestamp)
            // index alone.
            IReadOnlyDictionary<string, long> counts;
            long eventCount;
            if (run.Status is not (RunStatus.Running or RunStatus.Abandoned) && run.CountsByLevel.Count > 0
                && run.CountsByLevel.Values.Sum() == run.MessagesLogged)
            {
                counts = run.CountsByLevel;
                eventCount = run.MessagesLogged;
            }
            else
            {
                var counted = new Dictionary<string, long>();
                using (var cmd = Command(connection, "SELECT level, count(*) FROM log_events WHERE execution_id = $id GROUP BY log_category, level", ("$id", executionId)))
                using (var reader = cmd.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var level = reader.GetString(0);
                        counted[level] = counted.GetValueOrDefault(level) + reader.GetInt64(1);
                    }
                }
                counts = counted;
                eventCount = counted.Values.Sum();
            }
            // First and last times: two seeks on (execution_id, timestamp).
            var first = EdgeTime(connection, executionId, "ASC");
            var last = EdgeTime(connection, executionId, "DESC");
            var errors = ErrorEvents(connection, executionId, Categories(connection, executionId), SummaryErrorLimit);
            var learnings = new List<AgentLearning>();
            using (var cmd = Command(connection, $"SELECT {SqliteRows.LearningColumns} FROM agent_learnings l WHERE l.execution_id = $id ORDER BY l.timestamp, l.id", ("$id", executionId)))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    learnings.Add(SqliteRows.ReadLearning(reader));
                }
            }
            var progress = Rules.ProgressRules.ForSummary(ReadEvents(connection,
                // Without the hint the planner walks (execution_id, timestamp) to skip a sort and reads every row
                // of the run; the progress events are few, so sorting them is far cheaper.
                $"SELECT {SqliteRows.EventColumns} FROM log_events e INDEXED BY ix_log_events_execution_category WHERE e.execution_id = $id AND e.log_category = $category ORDER BY e.timestamp, e.id",
                ("$id", executionId), ("$category", LogCategories.Progress)), run);
            return new ExecutionSummary
            {
                Run = run,
                CountsByLevel = counts,
                EventCount = eventCount,
                Errors = [.. errors.Select(e => e.Event)],
                Learnings = learnings,
                Progress = progress,
                FinalResponseJson = Rules.ProgressRules.FinalResponse(run, run.FinalResponseJson is null ? FinalResponseEvent(connection, executionId) : null),
                FirstEvent = first,
                LastEvent = last,
            };
        });
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ErrorWithContext>> GetErrorsAsync(string executionId, ContextWindow window, CancellationToken cancellationToken = default)
    {
        Rules.QueryArguments.ExecutionId(executionId);
        ArgumentNullException.ThrowIfNull(window);
        cancellationToken.ThrowIfCancellationRequested();
        return Run<IReadOnlyList<ErrorWithContext>>(() =>
        {
            using var connection = OpenQuery();
            var errors = ErrorEvents(connection, executionId, Categories(connection, executionId), ErrorLimit);
            if (errors.Count == 0)
            {
                return [];
            }
            // Events are ordered by (timestamp, id) so ties in time keep insertion order. Each side is a plain range
            // on (execution_id, timestamp) read in index order and cut off after `limit` rows: a row-value bound
            // such as (timestamp, id) < ($t, $eid) is not an index range, and the planner then scanned the whole
            // run — or, with only a time bound usable, the (timestamp) index across every run.
            var limit = window.Events ?? ContextLimit;
            using var before = Command(connection,
                $"SELECT {SqliteRows.EventColumns} FROM log_events e WHERE e.execution_id = $id AND e.timestamp <= $t AND e.timestamp >= $bound ORDER BY e.timestamp DESC, e.id DESC",
                ("$id", executionId), ("$t", ""), ("$bound", ""));
            using var after = Command(connection,
                $"SELECT {SqliteRows.EventColumns} FROM log_events e WHERE e.execution_id = $id AND e.timestamp >= $t AND e.timestamp <= $bound ORDER BY e.timestamp, e.id",
                ("$id", executionId), ("$t", ""), ("$bound", ""));
            var result = new List<ErrorWithContext>(errors.Count);
            foreach (var (rowId, error) in errors)
            {
                var t = SqliteTime.Format(error.Timestamp);
                before.Parameters["$t"].Value = t;
                after.Parameters["$t"].Value = t;
                // Without a time bound the bounds are below and above every stored timestamp.
                before.Parameters["$bound"].Value = window.Time is { } span ? SqliteTime.Format(error.Timestamp - span) : "";
                after.Parameters["$bound"].Value = window.Time is { } span2 ? SqliteTime.Format(error.Timestamp + span2) : "9999";
                var earlier = ReadContext(before, t, id => id < rowId, limit);
                earlier.Reverse();
                result.Add(new ErrorWithContext(error, earlier, ReadContext(after, t, id => id > rowId, limit)));
            }
            return result;
        });
    }

    private static bool IsErrorLevel(string level) => level is LogLevels.Error or LogLevels.Critical;

    /// <summary>
    /// Up to <paramref name="limit"/> ERROR and CRITICAL events of a run in (timestamp, id) order, with their rowids.
    /// The (id, timestamp) pairs come from the (execution_id, log_category, level, timestamp) index alone, per
    /// category that holds events of the run; only the chosen rows are read from the table.
    /// </summary>
    private static List<(long Id, LogEventRecord Event)> ErrorEvents(SqliteConnection connection, string executionId, IEnumerable<string> categories, int limit)
    {
        var keys = new List<(string Timestamp, long Id)>();
        using (var cmd = Command(connection,
            // Pinned: ordered by time, the planner prefers walking (execution_id, timestamp) and reading every row.
            "SELECT timestamp, id FROM log_events INDEXED BY ix_log_events_execution_category WHERE execution_id = $id AND log_category = $category AND level IN ('ERROR', 'CRITICAL') ORDER BY timestamp, id LIMIT $limit",
            ("$id", executionId), ("$category", ""), ("$limit", limit)))
        {
            foreach (var category in categories)
            {
                cmd.Parameters["$category"].Value = category;
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    keys.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }
        }
        keys.Sort((a, b) => string.CompareOrdinal(a.Timestamp, b.Timestamp) is var c and not 0 ? c : a.Id.CompareTo(b.Id));
        var ids = keys.Take(limit).Select(k => k.Id).ToList();
        var events = ReadEventsById(connection, ids);
        return [.. ids.Where(events.ContainsKey).Select(id => (id, events[id]))];
    }

    /// <summary>
    /// The distinct categories of a run's events, found by seeking the (execution_id, log_category, …) index once per
    /// category (a skip scan) instead of reading every entry of the run.
    /// </summary>
    private static List<string> Categories(SqliteConnection connection, string executionId)
    {
        var categories = new List<string>();
        using var cmd = Command(connection,
            "SELECT log_category FROM log_events WHERE execution_id = $id AND log_category > $after ORDER BY log_category LIMIT 1",
            ("$id", executionId), ("$after", ""));
        while (cmd.ExecuteScalar() is string category)
        {
            categories.Add(category);
            cmd.Parameters["$after"].Value = category;
        }
        return categories;
    }

    /// <summary>The first or last event time of a run (one seek on the (execution_id, timestamp) index).</summary>
    private static DateTimeOffset? EdgeTime(SqliteConnection connection, string executionId, string direction)
    {
        using var cmd = Command(connection, $"SELECT timestamp FROM log_events WHERE execution_id = $id ORDER BY timestamp {direction} LIMIT 1", ("$id", executionId));
        return cmd.ExecuteScalar() is string t ? SqliteTime.Parse(t) : null;
    }

    /// <summary>
    /// Reads context rows in index order, skipping the rows at the error's own timestamp that are not on the wanted
    /// side of it (<paramref name="keep"/> on the rowid), and stops after <paramref name="limit"/> rows.
    /// </summary>
    private static List<LogEventRecord> ReadContext(SqliteCommand cmd, string errorTime, Func<long, bool> keep, int limit)
    {
        var list = new List<LogEventRecord>();
        if (limit <= 0)
        {
            return list;
        }
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            if (reader.GetString(2) == errorTime && !keep(reader.GetInt64(0)))
            {
                continue;
            }
            list.Add(SqliteRows.ReadEvent(reader));
            if (list.Count >= limit)
            {
                break;
            }
        }
        return list;
    }

    /// <inheritdoc/>
    public Task<ExecutionGraph?> GetExecutionGraphAsync(string executionId, CancellationToken cancellationToken = default)
    {
        Rules.QueryArguments.ExecutionId(executionId);
        cancellationToken.ThrowIfCancellationRequested();
        return Run(() =>
        {
            using var connection = OpenQuery();
            if (ReadRun(connection, executionId) is not { } run)
            {
                return null;
            }
            var events = ReadEvents(connection,
                $"SELECT {SqliteRows.EventColumns} FROM log_events e WHERE e.execution_id = $id ORDER BY e.timestamp, e.id LIMIT {Rules.ExecutionGraphRules.MaxEvents}",
                ("$id", executionId));
            var learnings = new List<AgentLearning>();
            using (var cmd = Command(connection, $"SELECT {SqliteRows.LearningColumns} FROM agent_learnings l WHERE l.execution_id = $id ORDER BY l.timestamp, l.id", ("$id", executionId)))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    learnings.Add(SqliteRows.ReadLearning(reader));
                }
            }
            var handles = Rules.ExecutionGraphRules.Handles(executionId, events, learnings);
            var relations = new List<LogRelation>();
            using (var cmd = Command(connection,
                $"SELECT {SqliteRows.RelationColumns} FROM log_relations WHERE from_id IN (SELECT value FROM json_each($handles)) OR to_id IN (SELECT value FROM json_each($handles)) ORDER BY created_at, id",
                ("$handles", JsonSerializer.Serialize(handles.ToArray(), SqliteJsonContext.Default.StringArray))))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    relations.Add(SqliteRows.ReadRelation(reader));
                }
            }
            return Rules.ExecutionGraphRules.Build(run, events, learnings, relations);
        });
    }


    /// <inheritdoc/>
    public Task<PerformanceReport> GetPerformanceAsync(string? scriptName, int days, CancellationToken cancellationToken = default)
    {
        Rules.QueryArguments.Days(days);
        cancellationToken.ThrowIfCancellationRequested();
        return Run(() =>
        {
            // The window is whole UTC days: today and the days - 1 before it, so the trend has one entry per day.
            var today = DateOnly.FromDateTime(_options.Time.GetUtcNow().UtcDateTime);
            var firstDay = today.AddDays(-(days - 1));
            var since = SqliteTime.Format(new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
            using var connection = OpenQuery();
            var scriptFilter = scriptName is null ? "" : " AND script_name = $script";
            var runs = new List<(string Script, RunStatus Status, double? Duration, DateOnly Day)>();
            using (var cmd = Command(connection,
                "SELECT script_name, status, duration_ms, pid, host, start_time FROM script_runs WHERE start_time >= $since" + scriptFilter,
                ("$since", since), ("$script", scriptName)))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    var status = RunStatusNames.Parse(reader.GetString(1));
                    var start = SqliteTime.Parse(reader.GetString(5));
                    if (status == RunStatus.Running && RunLiveness.IsAbandoned(reader.IsDBNull(3) ? 0 : reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4), start))
                    {
                        status = RunStatus.Abandoned;
                    }
                    runs.Add((reader.GetString(0), status, reader.IsDBNull(2) ? null : reader.GetDouble(2), DateOnly.FromDateTime(start.UtcDateTime)));
                }
            }
            var errorsPerDay = new Dictionary<DateOnly, long>();
            using (var cmd = Command(connection,
                "SELECT substr(timestamp, 1, 10), count(*) FROM log_events WHERE level IN ('ERROR', 'CRITICAL') AND timestamp >= $since" + scriptFilter + " GROUP BY 1",
                ("$since", since), ("$script", scriptName)))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    errorsPerDay[DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture)] = reader.GetInt64(1);
                }
            }

            var scripts = runs.GroupBy(r => r.Script, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                var succeeded = g.Count(r => r.Status == RunStatus.Success);
                var finished = g.Count(r => r.Status != RunStatus.Running);
                var durations = g.Where(r => r.Status != RunStatus.Running && r.Duration is not null).Select(r => r.Duration!.Value).Order().ToArray();
                return new ScriptPerformance(
                    g.Key, g.Count(), succeeded, g.Count(r => r.Status == RunStatus.Failed), g.Count(r => r.Status == RunStatus.Cancelled),
                    g.Count(r => r.Status == RunStatus.Abandoned), finished == 0 ? 0 : (double)succeeded / finished,
                    Percentile(durations, 0.50), Percentile(durations, 0.90), Percentile(durations, 0.99), durations.Length == 0 ? null : durations[^1]);
            }).ToList();
            var trend = new List<DailyTrend>(days);
            for (var day = firstDay; day <= today; day = day.AddDays(1))
            {
                var d = day;
                trend.Add(new DailyTrend(d, runs.Count(r => r.Day == d), runs.Count(r => r.Day == d && r.Status == RunStatus.Failed), errorsPerDay.GetValueOrDefault(d)));
            }
            return new PerformanceReport { ScriptName = scriptName, Days = days, Scripts = scripts, Trend = trend };
        });
    }

    /// <summary>Nearest-rank percentile of sorted values (null when empty).</summary>
    internal static double? Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return cmd;
    }

    private static List<LogEventRecord> ReadEvents(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(connection, sql, parameters);
        return ReadEvents(cmd);
    }

    private static List<LogEventRecord> ReadEvents(SqliteCommand cmd)
    {
        var list = new List<LogEventRecord>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            list.Add(SqliteRows.ReadEvent(reader));
        }
        return list;
    }
}
