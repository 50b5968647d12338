// Job: flush requests — wake the writer at once and answer each request when everything queued before it is handled.
namespace AgentScript.Sink.Pipeline;

/// <summary>
/// A flush records how many writes were queued when it was asked (its target) and wakes the writer. The writer answers
/// requests between batches: a request is done when the writes up to its target are stored or buffered (and the
/// buffer replayed when the store is up). The wake-up is a task swapped under a lock, never a semaphore: a wait that
/// lost a race leaves nothing behind that could swallow the next wake-up.
/// </summary>
internal sealed class FlushCoordinator
{
    private readonly Lock _lock = new();
    private readonly List<(long Target, TaskCompletionSource<bool> Done)> _waiters = [];
    private TaskCompletionSource _wake = NewWake();

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Asks for a flush of the writes queued up to <paramref name="target"/>; true from the task when all is stored.</summary>
    public Task<bool> Request(long target)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiters.Add((target, done));
            _wake.TrySetResult();
        }
        return done.Task;
    }

    /// <summary>Wakes the writer (disposal).</summary>
    public void Wake()
    {
        lock (_lock)
        {
            _wake.TrySetResult();
        }
    }

    /// <summary>
    /// The task the writer waits on: completes at the next <see cref="Request"/> or <see cref="Wake"/>. Take it
    /// before checking <see cref="IsRequested"/>, so a request between the two cannot be missed.
    /// </summary>
    public Task NextWake()
    {
        lock (_lock)
        {
            if (_wake.Task.IsCompleted)
            {
                _wake = NewWake();
            }
            return _wake.Task;
        }
    }

    /// <summary>True when a flush is waiting.</summary>
    public bool IsRequested => Pending > 0;

    /// <summary>Flush requests waiting now.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>
    /// Answers, among the first <paramref name="upTo"/> requests, those whose writes are handled (<paramref name="processed"/>
    /// reached their target, or everything is <paramref name="drained"/>), with <paramref name="clean"/>.
    /// </summary>
    public void Complete(long processed, bool drained, Func<bool> clean, int upTo = int.MaxValue)
    {
        List<TaskCompletionSource<bool>>? ready = null;
        lock (_lock)
        {
            for (var i = Math.Min(upTo, _waiters.Count) - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= processed || drained)
                {
                    (ready ??= []).Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }
        if (ready is not null)
        {
            var result = clean();
            foreach (var r in ready)
            {
                r.TrySetResult(result);
            }
        }
    }
}
