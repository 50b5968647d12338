// Job: stall detection — finds gaps in a run's activity from its event timestamps, store-neutrally.
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Queries;

/// <summary>A gap in a run's activity longer than the stall threshold, with the events on either side.</summary>
/// <param name="Before">The last event before the gap.</param>
/// <param name="After">The first event after the gap (null when the run is still silent: a live stall).</param>
/// <param name="Gap">How long nothing was logged.</param>
public sealed record RunStall(LogEventRecord Before, LogEventRecord? After, TimeSpan Gap);

/// <summary>Finds stalls: gaps between consecutive events of one run above a threshold.</summary>
internal static class RunStalls
{
    /// <summary>The default threshold (30 seconds); <c>AGENTSCRIPT_STALL_THRESHOLD</c> or <c>--stall-threshold</c> change it.</summary>
    public static TimeSpan DefaultThreshold { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Environment variable that sets the threshold for the CLI and MCP server (a duration: 30s, 2m, 500ms).</summary>
    public const string ThresholdVariable = "AGENTSCRIPT_STALL_THRESHOLD";

    /// <summary>Most stalls returned for one run (the longest kept when there are more).</summary>
    public const int MaxStalls = 100;

    /// <summary>
    /// The stalls of <paramref name="events"/> (one run, insertion order). Streams: keeps only the latest event. Out-of-order
    /// timestamps (threads racing the clock) never count as gaps, because the gap is measured from the latest time seen.
    /// </summary>
    public static IReadOnlyList<RunStall> Find(IEnumerable<LogEventRecord> events, TimeSpan threshold)
    {
        var finder = new Finder(threshold);
        foreach (var e in events)
        {
            finder.Add(e);
        }
        return finder.Result();
    }

    /// <summary>Streams the run's events from <paramref name="store"/> and finds its stalls.</summary>
    public static async Task<IReadOnlyList<RunStall>> FindAsync(IAgentLogStore store, string executionId, TimeSpan threshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var finder = new Finder(threshold);
        await foreach (var e in store.StreamEventsAsync(new EventFilter { ExecutionId = executionId }, cancellationToken).ConfigureAwait(false))
        {
            finder.Add(e.Event);
        }
        return finder.Result();
    }

    /// <summary>A live run's current silence: the time since its last event when that exceeds the threshold.</summary>
    public static RunStall? Silence(LogEventRecord? lastEvent, DateTimeOffset now, TimeSpan threshold) =>
        lastEvent is not null && now - lastEvent.Timestamp > threshold ? new RunStall(lastEvent, null, now - lastEvent.Timestamp) : null;

    /// <summary>Incremental finder (used by the diff, which streams a run once for several purposes).</summary>
    internal sealed class Finder
    {
        private readonly TimeSpan _threshold;
        private readonly List<RunStall> _stalls = [];
        private LogEventRecord? _latest;

        public Finder(TimeSpan threshold)
        {
            if (threshold <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(threshold), "The stall threshold must be positive (for example 30s).");
            }
            _threshold = threshold;
        }

        public void Add(LogEventRecord e)
        {
            if (_latest is { } latest)
            {
                var gap = e.Timestamp - latest.Timestamp;
                if (gap > _threshold)
                {
                    _stalls.Add(new RunStall(latest, e, gap));
                    if (_stalls.Count > MaxStalls * 2)
                    {
                        Trim();
                    }
                }
                if (e.Timestamp < latest.Timestamp)
                {
                    return;
                }
            }
            _latest = e;
        }

        public IReadOnlyList<RunStall> Result()
        {
            Trim();
            return _stalls.OrderBy(s => s.Before.Timestamp).ToList();
        }

        private void Trim()
        {
            if (_stalls.Count > MaxStalls)
            {
                var keep = _stalls.OrderByDescending(s => s.Gap).Take(MaxStalls).ToList();
                _stalls.Clear();
                _stalls.AddRange(keep);
            }
        }
    }
}
