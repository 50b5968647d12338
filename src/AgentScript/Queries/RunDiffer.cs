// Job: computes a RunDiff from any store (streams each run's events once; no store-specific query).
using System.Text.Json;
using AgentScript.Model;
using AgentScript.Storage;
using AgentScript.Tracing;

namespace AgentScript.Queries;

/// <summary>Compares two runs using only <see cref="IAgentLogStore"/> operations every store implements.</summary>
internal static class RunDiffer
{
    /// <summary>Spans listed in a diff (those whose duration changed most).</summary>
    public const int MaxSpans = 10;

    /// <summary>The diff of <paramref name="executionIdA"/> → <paramref name="executionIdB"/>.</summary>
    /// <exception cref="KeyNotFoundException">A run is unknown; the message names it.</exception>
    public static async Task<RunDiff> DiffAsync(IAgentLogStore store, string executionIdA, string executionIdB, CancellationToken cancellationToken)
    {
        var a = await store.GetRunAsync(executionIdA, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No run with execution id '{executionIdA}'. List runs with 'agentlog runs'.");
        var b = await store.GetRunAsync(executionIdB, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No run with execution id '{executionIdB}'. List runs with 'agentlog runs'.");
        var pa = await ProfileAsync(store, executionIdA, cancellationToken).ConfigureAwait(false);
        var pb = await ProfileAsync(store, executionIdB, cancellationToken).ConfigureAwait(false);
        var (changes, truncated) = JsonDiff.Compare(a.FinalResponseJson, b.FinalResponseJson);

        var levels = LogLevels.All
            .Concat(pa.Levels.Keys).Concat(pb.Levels.Keys).Distinct(StringComparer.Ordinal)
            .Where(l => pa.Levels.ContainsKey(l) || pb.Levels.ContainsKey(l))
            .Select(l => new LevelCount(l, pa.Levels.GetValueOrDefault(l), pb.Levels.GetValueOrDefault(l)))
            .ToList();
        var spans = pa.Spans.Keys.Union(pb.Spans.Keys, StringComparer.Ordinal)
            .Select(name =>
            {
                var sa = pa.Spans.GetValueOrDefault(name);
                var sb = pb.Spans.GetValueOrDefault(name);
                return new SpanChange(name, sa.Calls > 0 ? sa.Ms : null, sb.Calls > 0 ? sb.Ms : null, sa.Calls, sb.Calls);
            })
            .OrderByDescending(s => Math.Abs(s.ChangeMs)).ThenBy(s => s.FunctionName, StringComparer.Ordinal)
            .Take(MaxSpans)
            .ToList();

        var (first, second) = a.StartTime <= b.StartTime ? (a, b) : (b, a);
        var learnings = await store.GetLearningsAsync(new LearningQuery
        {
            ScriptName = a.ScriptName == b.ScriptName ? a.ScriptName : null,
            Since = first.StartTime,
            Limit = 200,
        }, cancellationToken).ConfigureAwait(false);

        return new RunDiff
        {
            RunA = a,
            RunB = b,
            DurationChangeMs = a.DurationMs is { } da && b.DurationMs is { } db ? Math.Round(db - da, 3) : null,
            ResponseChanges = changes,
            ResponseChangesTruncated = truncated,
            Levels = levels,
            ErrorsAppeared = pb.ErrorTypes.Except(pa.ErrorTypes, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            ErrorsDisappeared = pa.ErrorTypes.Except(pb.ErrorTypes, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            Spans = spans,
            LearningsBetween = learnings.Where(l => l.Timestamp < second.StartTime).OrderBy(l => l.Timestamp).ToList(),
        };
    }

    private sealed class Profile
    {
        public Dictionary<string, long> Levels { get; } = new(StringComparer.Ordinal);
        public HashSet<string> ErrorTypes { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, (double Ms, int Calls)> Spans { get; } = new(StringComparer.Ordinal);
    }

    private static async Task<Profile> ProfileAsync(IAgentLogStore store, string executionId, CancellationToken cancellationToken)
    {
        var p = new Profile();
        await foreach (var item in store.StreamEventsAsync(new EventFilter { ExecutionId = executionId }, cancellationToken).ConfigureAwait(false))
        {
            var e = item.Event;
            p.Levels[e.Level] = p.Levels.GetValueOrDefault(e.Level) + 1;
            if (e.Level is LogLevels.Error or LogLevels.Critical)
            {
                p.ErrorTypes.Add(e.Exception?.Type ?? e.MessageTemplate ?? e.Message);
            }
            if (e.Category == LogCategories.SpanEnd && e.FunctionName is { } fn && SpanDuration(e.ExtraJson) is { } ms)
            {
                var (total, calls) = p.Spans.GetValueOrDefault(fn);
                p.Spans[fn] = (total + ms, calls + 1);
            }
        }
        return p;
    }

    private static double? SpanDuration(string? extraJson)
    {
        if (extraJson is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(extraJson);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty(TraceSpan.DurationProperty, out var d) && d.TryGetDouble(out var ms) ? ms : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
