// Job: cut the context of each error out of a run's events read once in order.
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage.Rules;

/// <summary>
/// Errors with context from one ordered pass over a run's events ((timestamp, id) order): each error gets the events
/// just before and just after it — at most <see cref="ContextWindow.Events"/> on each side, or, for a time window,
/// those within ± the time, at most <see cref="MaxContext"/> on each side. Memory holds one window per error, not the run.
/// </summary>
internal sealed class ErrorContext(IReadOnlyList<LogEventRecord> errors, ContextWindow window)
{
    /// <summary>Context events per side when the window is a time.</summary>
    public const int MaxContext = 1000;

    private readonly int _limit = window.Events ?? MaxContext;
    private readonly Queue<LogEventRecord> _recent = new();
    private readonly Dictionary<string, int> _errorIndex = errors.Select((e, i) => (e.EventId, i)).ToDictionary(x => x.EventId, x => x.i, StringComparer.Ordinal);
    private readonly List<LogEventRecord>?[] _before = new List<LogEventRecord>?[errors.Count];
    private readonly List<LogEventRecord>[] _after = [.. errors.Select(_ => new List<LogEventRecord>())];
    private readonly List<int> _open = [];

    /// <summary>Takes the next event of the run.</summary>
    public void Add(LogEventRecord e)
    {
        for (var k = _open.Count - 1; k >= 0; k--)
        {
            var i = _open[k];
            var after = _after[i];
            if (after.Count >= _limit || (window.Time is { } span && e.Timestamp > errors[i].Timestamp + span))
            {
                _open.RemoveAt(k);
                continue;
            }
            after.Add(e);
        }
        if (_errorIndex.TryGetValue(e.EventId, out var index) && _before[index] is null)
        {
            _before[index] = [.. _recent.Where(x => window.Time is not { } span || x.Timestamp >= e.Timestamp - span)];
            if (_limit > 0)
            {
                _open.Add(index);
            }
        }
        if (_limit > 0)
        {
            if (_recent.Count == _limit)
            {
                _recent.Dequeue();
            }
            _recent.Enqueue(e);
        }
    }

    /// <summary>The errors (those met in the pass) with their context, in order.</summary>
    public IReadOnlyList<ErrorWithContext> Result() =>
        [.. errors.Select((e, i) => (e, i)).Where(x => _before[x.i] is not null).Select(x => new ErrorWithContext(x.e, _before[x.i]!, _after[x.i]))];
}
