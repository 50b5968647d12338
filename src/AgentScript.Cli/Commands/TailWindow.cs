// Job: decide which streamed events a following tail has not shown yet, when positions can arrive out of order.
using AgentScript.Queries;

namespace AgentScript.Cli.Commands;

/// <summary>
/// A following tail asks the store for events after the last position it saw. On SQLite positions are rowids of one
/// file, so a later commit always has a larger position. On ArangoDB a position is the writing process's clock
/// (microseconds) taken when its batch reaches the store, so a batch from another process (or host) can be stored
/// with a position below one already shown. The tail therefore reads back a window behind its last position and
/// skips the events it has shown, by id: an event whose position lags the newest one by less than the window is
/// never missed.
/// </summary>
internal sealed class TailWindow(long lookback)
{
    /// <summary>How far back an ArangoDB tail reads: 10 s of writer clock (positions are microseconds).</summary>
    public const long ArangoLookback = 10_000_000;

    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private long _last;
    private int _trimAt = 10_000;

    /// <summary>The window for <paramref name="storeKind"/>: none where positions follow commit order.</summary>
    public static TailWindow For(string storeKind) => new(storeKind == "arangodb" ? ArangoLookback : 0);

    /// <summary>The newest position seen.</summary>
    public long Last => _last;

    /// <summary>The position to read after on the next poll.</summary>
    public long ReadAfter => Math.Max(0, _last - lookback);

    /// <summary>Records <paramref name="streamed"/>; true when it was not seen before (and so is to be shown).</summary>
    public bool Accept(StreamedEvent streamed)
    {
        if (lookback > 0)
        {
            if (streamed.Position <= _last - lookback || !_seen.TryAdd(streamed.Event.EventId, streamed.Position))
            {
                return false;
            }
        }
        else if (streamed.Position <= _last)
        {
            return false;
        }
        _last = Math.Max(_last, streamed.Position);
        if (_seen.Count > _trimAt)
        {
            // A first read over a whole store passes every event through here: keep only the window.
            Trim();
            _trimAt = Math.Max(10_000, _seen.Count * 2);
        }
        return true;
    }

    /// <summary>Starts following from <paramref name="position"/> (events at or before it count as shown).</summary>
    public void Skip(long position) => _last = Math.Max(_last, position);

    /// <summary>Forgets ids that fell out of the window (called once per poll, so memory follows the window).</summary>
    public void Trim()
    {
        if (lookback == 0 || _seen.Count == 0)
        {
            return;
        }
        var floor = _last - lookback;
        foreach (var (id, position) in _seen)
        {
            if (position <= floor)
            {
                _seen.Remove(id);
            }
        }
    }
}
