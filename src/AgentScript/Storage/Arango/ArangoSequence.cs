// Job: hand out the insertion positions (`seq`) of one ArangoDB store's event documents.
namespace AgentScript.Storage.Arango;

/// <summary>
/// The insertion position of event documents: Unix microseconds at write time, strictly increasing for one store
/// instance. It is assigned when the event reaches the store (a replayed event gets a new, later one), which is what a
/// tail wants. Writers in other store instances or processes are ordered by the clock alone, as before any sequence.
/// </summary>
internal sealed class ArangoSequence(TimeProvider time)
{
    private long _last;

    public ArangoSequence()
        : this(TimeProvider.System)
    {
    }

    /// <summary>The next position.</summary>
    public long Next()
    {
        var now = (time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
