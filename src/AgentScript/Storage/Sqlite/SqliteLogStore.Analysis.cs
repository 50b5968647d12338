using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentScript.Model;
using AgentScript.Queries;
using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

public sealed partial class SqliteLogStore
{
    private const int SummaryErrorLimit = 100;
    private const int ErrorLimit = 1000;
    private const int ContextLimit = 1000;
    private const int GraphEventLimit = 10_000;

    [GeneratedRegex(@"\b(fixed|resolved)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FixedMessage();

    /// <inheritdoc/>
    public Task<ExecutionSummary?> GetExecutionSummaryAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        cancellationToken.ThrowIfCancellationRequested();
        return Run(() =>
        {
            using var connection = OpenRead(readOnly: false);
            if (ReadRun(connection, executionId) is not { } run)
            {
                return null;
            }
            var counts = new Dictionary<string, long>();
            DateTimeOffset? first = null, last = null;
            using (var cmd = Command(connection, "SELECT level, count(*), min(timestamp), max(timestamp) FROM log_events WHERE execution_id = $id GROUP BY log_category, level", ("$id", executionId)))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    // Grouped by (category, level) to follow ix_log_events_execution_category (no temp b-tree).
                    var level = reader.GetString(0);
                    counts[level] = counts.GetValueOrDefault(level) + reader.GetInt64(1);
                    var min = SqliteTime.Parse(reader.GetString(2));
                    var max = SqliteTime.Parse(reader.GetString(3));
                    first = first is null || min < first ? min : first;
                    last = last is null || max > last ? max : last;
                }
            }
            var errors = ReadEvents(connection,
                $"SELECT {SqliteRows.EventColumns} FROM log_events e WHERE e.execution_id = $id AND e.level IN ('ERROR', 'CRITICAL') ORDER BY e.timestamp, e.id LIMIT {SummaryErrorLimit}",
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
            var progress = new List<RunProgress>();
            foreach (var e in ReadEvents(connection,
                // Without the hint the planner walks (execution_id, timestamp) to skip a sort and reads every row
                // of the run; the progress events are few, so sorting them is far cheaper.
                $"SELECT {SqliteRows.EventColumns} FROM log_events e INDEXED BY ix_log_events_execution_category WHERE e.execution_id = $id AND e.log_category = $category ORDER BY e.timestamp, e.id",
                ("$id", executionId), ("$category", LogCategories.Progress)))
            {
                progress.Add(ProgressOf(e));
            }
            if (progress.Count == 0 && run.Progress is { } stored)
            {
                progress.Add(stored);
            }
            return new ExecutionSummary
            {
                Run = run,
                CountsByLevel = counts,
                EventCount = counts.Values.Sum(),
                Errors = errors,
                Learnings = learnings,
                Progress = progress,
                FinalResponseJson = run.FinalResponseJson ?? FinalResponseEvent(connection, executionId),
                FirstEvent = first,
                LastEvent = last,
            };
        });
    }

    /// <summary>A PROGRESS event as a progress report: stage/percent from its payload or extra properties, else its message.</summary>
    private static RunProgress ProgressOf(LogEventRecord e)
    {
        foreach (var json in new[] { e.PayloadJson, e.ExtraJson })
        {
            if (json is null)
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(json);
                if (SqliteJson.FromElement(doc.RootElement, e.Timestamp) is { } p)
                {
                    return p;
                }
            }
            catch (JsonException)
            {
                // Not JSON: fall back to the message.
            }
        }
        return new RunProgress(e.Message, 0, e.Timestamp, e.ExtraJson);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ErrorWithContext>> GetErrorsAsync(string executionId, ContextWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        ArgumentNullException.ThrowIfNull(window);
        cancellationToken.ThrowIfCancellationRequested();
        return Run<IReadOnlyList<ErrorWithContext>>(() =>
        {
            using var connection = OpenRead(readOnly: false);
            var errors = new List<(long Id, LogEventRecord Event)>();
            using (var cmd = Command(connection,
                $"SELECT {SqliteRows.EventColumns} FROM log_events e WHERE e.execution_id = $id AND e.level IN ('ERROR', 'CRITICAL') ORDER BY e.timestamp, e.id LIMIT {ErrorLimit}",
                ("$id", executionId)))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    errors.Add((reader.GetInt64(0), SqliteRows.ReadEvent(reader)));
                }
            }
            if (errors.Count == 0)
            {
                return [];
            }
            // Events are ordered by (timestamp, id) so ties in time keep insertion order; the row-value
            // comparisons use the (execution_id, timestamp) index.
            var timeBound = window.Time is not null;
            var limit = window.Events ?? ContextLimit;
            using var before = Command(connection,
                $"SELECT {SqliteRows.EventColumns} FROM log_events e WHERE e.execution_id = $id AND (e.timestamp, e.id) < ($t, $eid)" +
                (timeBound ? " AND e.timestamp >= $bound" : "") + " ORDER BY e.timestamp DESC, e.id DESC LIMIT $limit",
                ("$id", executionId), ("$t", ""), ("$eid", 0L), ("$bound", ""), ("$limit", limit));
            using var after = Command(connection,
                $"SELECT {SqliteRows.EventColumns} FROM log_events e WHERE e.execution_id = $id AND (e.timestamp, e.id) > ($t, $eid)" +
                (timeBound ? " AND e.timestamp <= $bound" : "") + " ORDER BY e.timestamp, e.id LIMIT $limit",
                ("$id", executionId), ("$t", ""), ("$eid", 0L), ("$bound", ""), ("$limit", limit));
            var result = new List<ErrorWithContext>(errors.Count);
            foreach (var (rowId, error) in errors)
            {
                var t = SqliteTime.Format(error.Timestamp);
                foreach (var cmd in new[] { before, after })
                {
                    cmd.Parameters["$t"].Value = t;
                    cmd.Parameters["$eid"].Value = rowId;
                }
                if (window.Time is { } span)
                {
                    before.Parameters["$bound"].Value = SqliteTime.Format(error.Timestamp - span);
                    after.Parameters["$bound"].Value = SqliteTime.Format(error.Timestamp + span);
                }
                var earlier = ReadEvents(before);
                earlier.Reverse();
                result.Add(new ErrorWithContext(error, earlier, ReadEvents(after)));
            }
            return result;
        });
    }

    /// <inheritdoc/>
    public Task<ExecutionGraph?> GetExecutionGraphAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        cancellationToken.ThrowIfCancellationRequested();
        return Run(() =>
        {
            using var connection = OpenRead(readOnly: false);
            if (ReadRun(connection, executionId) is not { } run)
            {
                return null;
            }
            var runHandle = "script_runs/" + executionId;
            var nodes = new List<GraphNode> { new(runHandle, "run", $"{run.ScriptName} ({run.Mode}) {run.Status.ToName()}", null, run.StartTime) };
            var events = ReadEvents(connection,
                $"SELECT {SqliteRows.EventColumns} FROM log_events e WHERE e.execution_id = $id ORDER BY e.timestamp, e.id LIMIT {GraphEventLimit}",
                ("$id", executionId));
            foreach (var e in events)
            {
                nodes.Add(new GraphNode("log_events/" + e.EventId, "event", Label(e.Message), e.Level, e.Timestamp));
            }
            using (var cmd = Command(connection, $"SELECT {SqliteRows.LearningColumns} FROM agent_learnings l WHERE l.execution_id = $id ORDER BY l.timestamp, l.id", ("$id", executionId)))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    var l = SqliteRows.ReadLearning(reader);
                    nodes.Add(new GraphNode("agent_learnings/" + l.LearningId, "learning", Label(l.Learning), null, l.Timestamp));
                }
            }

            var edges = new List<GraphEdge>();
            for (var i = 1; i < events.Count; i++)
            {
                edges.Add(new GraphEdge("log_events/" + events[i - 1].EventId, "log_events/" + events[i].EventId, RelationTypes.FollowedBy, null, null, Stored: false));
            }
            for (var i = 0; i < events.Count; i++)
            {
                if (LogLevels.Rank(events[i].Level) < LogLevels.Rank(LogLevels.Error))
                {
                    continue;
                }
                for (var j = i + 1; j < events.Count; j++)
                {
                    if (LogLevels.Rank(events[j].Level) < LogLevels.Rank(LogLevels.Error) && FixedMessage().IsMatch(events[j].Message))
                    {
                        edges.Add(new GraphEdge("log_events/" + events[i].EventId, "log_events/" + events[j].EventId, RelationTypes.FixedBy,
                            "A later event of the run says the problem was fixed or resolved.", null, Stored: false));
                        break;
                    }
                }
            }

            var handles = nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
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
            foreach (var r in relations)
            {
                foreach (var end in new[] { r.From, r.To })
                {
                    if (handles.Add(end))
                    {
                        var kind = end.Split('/', 2)[0] switch { "log_events" => "event", "script_runs" => "run", "agent_learnings" => "learning", _ => "other" };
                        nodes.Add(new GraphNode(end, kind, end, null, null));
                    }
                }
                edges.Add(new GraphEdge(r.From, r.To, r.Type, r.Rationale, r.Confidence, Stored: true));
            }
            return new ExecutionGraph(executionId, nodes, edges);
        });
    }

    private static string Label(string text) => text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 117), "...");

    /// <inheritdoc/>
    public Task<PerformanceReport> GetPerformanceAsync(string? scriptName, int days, CancellationToken cancellationToken = default)
    {
        if (days < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, "The number of days must be at least 1.");
        }
        cancellationToken.ThrowIfCancellationRequested();
        return Run(() =>
        {
            // The window is whole UTC days: today and the days - 1 before it, so the trend has one entry per day.
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var firstDay = today.AddDays(-(days - 1));
            var since = SqliteTime.Format(new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
            using var connection = OpenRead(readOnly: false);
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
