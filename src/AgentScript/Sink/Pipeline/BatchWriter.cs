// Job: one store call per batch, with a time limit — and batch isolation: a write the store refuses goes to the dead-letter file.
using AgentScript.Sink.Durable;
using AgentScript.Storage;

namespace AgentScript.Sink.Pipeline;

/// <summary>
/// Writes a batch to the store. Writes the store rejects (per-item results) are dead-lettered; an unexpected error
/// on a batch is narrowed down by writing one at a time, so one bad write cannot block the others. A store that is
/// unavailable or slower than <c>WriteTimeout</c> makes the whole batch fail (-1): nothing can be assumed stored, and
/// the caller buffers it.
/// </summary>
internal sealed class BatchWriter(
    IAgentLogStore store,
    StoreInitializer initializer,
    DurableBuffer buffer,
    IWriteLossPolicy policy,
    TimeSpan writeTimeout,
    TimeProvider time,
    Action<string> noteFailure,
    Action noteSuccess)
{
    /// <summary>Writes <paramref name="batch"/>; returns the number stored, or -1 when the store is unavailable.</summary>
    public async Task<long> WriteAsync(IReadOnlyList<StoreWrite> batch, CancellationToken cancellationToken)
    {
        if (!await initializer.TryEnsureAsync().ConfigureAwait(false))
        {
            return -1;
        }
        try
        {
            var outcome = await WriteWithTimeoutAsync(Prepare(batch), cancellationToken).ConfigureAwait(false);
            noteSuccess();
            foreach (var r in outcome.Rejected)
            {
                buffer.DeadLetter(r.Write, r.Reason);
            }
            return batch.Count - outcome.Rejected.Count;
        }
        catch (StoreUnavailableException e)
        {
            noteFailure(e.Message);
            return -1;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (batch.Count == 1)
            {
                // An unexpected error on a single write: it cannot be retried into success; keep it aside.
                buffer.DeadLetter(batch[0], $"{e.GetType().Name}: {e.Message}");
                return 0;
            }
            long stored = 0;
            foreach (var write in batch)
            {
                var one = await WriteAsync([write], cancellationToken).ConfigureAwait(false);
                if (one < 0)
                {
                    return -1;
                }
                stored += one;
            }
            return stored;
        }
    }

    /// <summary>Writes a replayed batch; throws <see cref="StoreUnavailableException"/> when the store is unavailable.</summary>
    public async Task<long> WriteReplayedAsync(IReadOnlyList<StoreWrite> batch, string? lastError, CancellationToken cancellationToken)
    {
        var stored = await WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        return stored >= 0 ? stored : throw new StoreUnavailableException(lastError ?? "The store is unavailable.");
    }

    /// <summary>A run end written now carries the run's losses so far (see <see cref="RunRecordKeeper"/>).</summary>
    private IReadOnlyList<StoreWrite> Prepare(IReadOnlyList<StoreWrite> batch)
    {
        StoreWrite[]? copy = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is RunEndWrite && !ReferenceEquals(policy.Prepare(batch[i]), batch[i]))
            {
                copy ??= [.. batch];
                copy[i] = policy.Prepare(batch[i]);
            }
        }
        return copy ?? batch;
    }

    private async Task<WriteOutcome> WriteWithTimeoutAsync(IReadOnlyList<StoreWrite> batch, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(writeTimeout, time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await store.WriteAsync(batch, cts.Token).WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"The store at {store.Location} did not answer within {writeTimeout.TotalSeconds:0.#} s.");
        }
    }
}
