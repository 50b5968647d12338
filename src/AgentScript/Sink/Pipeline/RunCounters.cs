// Job: per-run counts — events logged by level (for the run's end record) and writes lost, per run.
using System.Collections.Concurrent;
using AgentScript.Model;
using AgentScript.Storage;
using Serilog.Events;

namespace AgentScript.Sink.Pipeline;

/// <summary>
/// Events are counted as the sink receives them (the end record reads the counts as soon as the entry returns);
/// losses are counted where they happen (a full or unwritable buffer) and kept after the run ends, because the run's
/// last events may be lost after its end record was queued.
/// </summary>
internal sealed class RunCounters
{
    private readonly ConcurrentDictionary<string, RunEventCounts> _events = new(StringComparer.Ordinal);
    // Made by the first loss: most processes lose nothing and never pay for it at start-up or exit.
    private ConcurrentDictionary<string, long>? _dropped;

    public void CountEvent(string executionId, LogEventLevel level) =>
        _events.GetOrAdd(executionId, static _ => new RunEventCounts()).Add(level);

    public (long Total, IReadOnlyDictionary<string, long> ByLevel) Snapshot(string executionId) =>
        _events.TryGetValue(executionId, out var c) ? c.Snapshot() : (0, new Dictionary<string, long>());

    public void Forget(string executionId) => _events.TryRemove(executionId, out _);

    /// <summary>Counts a lost write against its run (writes without a run are counted only in the totals).</summary>
    public void CountDropped(StoreWrite write)
    {
        if (ExecutionIdOf(write) is { Length: > 0 } id)
        {
            LazyInitializer.EnsureInitialized(ref _dropped, static () => new(StringComparer.Ordinal))
                .AddOrUpdate(id, 1, static (_, n) => n + 1);
        }
    }

    /// <summary>Writes of <paramref name="executionId"/> lost so far.</summary>
    public long DroppedFor(string executionId) => Volatile.Read(ref _dropped) is { } d && d.TryGetValue(executionId, out var n) ? n : 0;

    /// <summary>Runs that lost writes in this process, with how many.</summary>
    public IReadOnlyDictionary<string, long> DroppedRuns() =>
        Volatile.Read(ref _dropped) is { } d ? new Dictionary<string, long>(d, StringComparer.Ordinal) : new Dictionary<string, long>();

    private static string? ExecutionIdOf(StoreWrite write) => write switch
    {
        EventWrite a => a.Event.ExecutionId,
        RunStartWrite s => s.Run.ExecutionId,
        ProgressWrite p => p.ExecutionId,
        FinalResponseWrite f => f.ExecutionId,
        RunEndWrite e => e.End.ExecutionId,
        LearningWrite l => l.Learning.ExecutionId,
        _ => null,
    };

    private sealed class RunEventCounts
    {
        private readonly long[] _byRank = new long[LogLevels.All.Count];
        private long _total;

        public void Add(LogEventLevel level)
        {
            Interlocked.Increment(ref _total);
            // Serilog's levels Verbose..Fatal are in the order of LogLevels.All (TRACE..CRITICAL).
            var rank = Math.Clamp((int)level, 0, _byRank.Length - 1);
            Interlocked.Increment(ref _byRank[rank]);
        }

        public (long, IReadOnlyDictionary<string, long>) Snapshot()
        {
            var d = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < _byRank.Length; i++)
            {
                var v = Interlocked.Read(ref _byRank[i]);
                if (v > 0)
                {
                    d[LogLevels.All[i]] = v;
                }
            }
            return (Interlocked.Read(ref _total), d);
        }
    }
}
