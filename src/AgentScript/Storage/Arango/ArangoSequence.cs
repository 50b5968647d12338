// Job: the stream position (seq) given to each event a store instance writes.
namespace AgentScript.Storage.Arango;

/// <summary>
/// Insertion positions for streaming: Unix microseconds of the writer's clock at write time, strictly increasing
/// within one store instance. The position is assigned when the event reaches the store (a replayed event gets a new,
/// later one), which is what a tail wants. Writers on several hosts have several clocks: see docs/architecture.md
/// (Storage/Arango) for what a tail can and cannot promise then.
/// </summary>
internal sealed class ArangoSequence(TimeProvider time)
{
    private long _last;

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
