// Job: when to try the store again after failures (doubling backoff), and the last error seen — on an injected clock.
namespace AgentScript.Sink.Pipeline;

/// <summary>
/// Backoff doubles from <c>MinRetryDelay</c> up to <c>MaxRetryDelay</c> while the store keeps failing and resets on the
/// first success. Time comes from a <see cref="TimeProvider"/>, so tests move a fake clock instead of sleeping.
/// </summary>
internal sealed class RetrySchedule(TimeSpan minDelay, TimeSpan maxDelay, TimeProvider time)
{
    // The writer, queries (store initialisation) and disposal report outcomes: one lock keeps the fields together.
    private readonly Lock _lock = new();
    private int _failures;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private bool _warned;

    /// <summary>Failures in a row.</summary>
    public int Failures
    {
        get
        {
            lock (_lock)
            {
                return _failures;
            }
        }
    }

    /// <summary>The last store error, if any.</summary>
    public string? LastError { get; private set; }

    /// <summary>When it was seen.</summary>
    public DateTimeOffset? LastErrorAt { get; private set; }

    /// <summary>True when the next attempt is due.</summary>
    public bool IsDue => time.GetUtcNow() >= RetryAt;

    /// <summary>When the next attempt is due.</summary>
    public DateTimeOffset RetryAt
    {
        get
        {
            lock (_lock)
            {
                return _retryAt;
            }
        }
    }

    /// <summary>Time left until the next attempt (zero when due).</summary>
    public TimeSpan UntilDue
    {
        get
        {
            var left = RetryAt - time.GetUtcNow();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>Records a failure and schedules the next attempt; true for the first failure of an outage (warn once).</summary>
    public bool NoteFailure(string message)
    {
        lock (_lock)
        {
            _failures++;
            var delay = TimeSpan.FromTicks(Math.Min(maxDelay.Ticks, minDelay.Ticks * (1L << Math.Min(_failures - 1, 20))));
            var now = time.GetUtcNow();
            _retryAt = now + delay;
            LastError = message;
            LastErrorAt = now;
            var first = !_warned;
            _warned = true;
            return first;
        }
    }

    /// <summary>Records a success: the outage (if any) is over.</summary>
    public void NoteSuccess()
    {
        lock (_lock)
        {
            if (_failures > 0)
            {
                _failures = 0;
                _retryAt = DateTimeOffset.MinValue;
                _warned = false;
            }
        }
    }

    /// <summary>Makes the next attempt due now (unless the store is failing).</summary>
    public void RetryNowUnlessFailing()
    {
        lock (_lock)
        {
            if (_failures == 0)
            {
                _retryAt = DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>Makes the next attempt due now.</summary>
    public void RetryNow()
    {
        lock (_lock)
        {
            _retryAt = DateTimeOffset.MinValue;
        }
    }

    /// <summary>Schedules the next attempt after <paramref name="delay"/> (another process replays; live files remain).</summary>
    public void RetryAfter(TimeSpan delay)
    {
        lock (_lock)
        {
            _retryAt = time.GetUtcNow() + delay;
        }
    }
}
