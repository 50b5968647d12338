// Job: whether the durable buffer holds writes this process must replay, and how often callers appended to it.
namespace AgentScript.Sink.Pipeline;

/// <summary>
/// Whether the durable buffer may hold writes this process must replay, and a count of callers' appends to it, so a
/// replay pass can tell whether the buffer got new writes while it ran.
/// </summary>
internal sealed class BacklogState(bool initially)
{
    private bool _set = initially;
    private long _appendGeneration;

    public bool IsSet => Volatile.Read(ref _set);

    public long AppendGeneration => Interlocked.Read(ref _appendGeneration);

    public void Set() => Volatile.Write(ref _set, true);

    public void Clear() => Volatile.Write(ref _set, false);

    /// <summary>A caller appended to the buffer (synchronous durability, overflow): replay is due.</summary>
    public void NoteAppended()
    {
        Interlocked.Increment(ref _appendGeneration);
        Set();
    }
}
