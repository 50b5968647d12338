// Job: replay the durable buffer into the store when due — and decide when the backlog is really gone.
using AgentScript.Storage;

namespace AgentScript.Sink.Pipeline;

/// <summary>
/// Runs replay passes for the writer (when the retry schedule says so, or at once for a flush) and for
/// <c>agentlog flush</c>. A pass reads the files present when it starts; the backlog is cleared only when a pass was
/// complete and no caller appended meanwhile, so nothing waits unflagged for another process to replay it.
/// </summary>
internal sealed class BufferReplay(
    DurableBuffer buffer,
    BatchWriter writer,
    StoreInitializer initializer,
    RetrySchedule retry,
    BacklogState backlog,
    Func<bool> overflowOpen,
    SinkCounters counters,
    WritePipelineOptions options,
    Action<string> noteFailure)
{
    // Replay reads writes that are all waiting already: as many per store call as a catching-up batch.
    private int BatchSize => Math.Max(options.BatchSize, options.MaxBatchSize);

    private async Task WriteBatchAsync(IReadOnlyList<StoreWrite> batch, CancellationToken cancellationToken) =>
        counters.AddReplayed(await writer.WriteReplayedAsync(batch, retry.LastError, cancellationToken).ConfigureAwait(false));

    /// <summary>Replays now (for <c>agentlog</c>); returns the writes replayed.</summary>
    /// <exception cref="StoreUnavailableException">The store is unavailable, or another process is replaying.</exception>
    public async Task<long> ReplayNowAsync(CancellationToken cancellationToken)
    {
        await initializer.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var before = counters.Replayed;
        var result = await buffer.ReplayAsync(b => WriteBatchAsync(b, cancellationToken), BatchSize, cancellationToken).ConfigureAwait(false);
        if (result.Busy)
        {
            throw new StoreUnavailableException($"Another process is replaying the durable buffer in {options.BufferDirectory}; try again shortly.");
        }
        return counters.Replayed - before;
    }

    /// <summary>One replay pass when due (or <paramref name="force"/>d: a flush, the start, the end).</summary>
    public async Task TryReplayAsync(bool force)
    {
        if (!force && !retry.IsDue)
        {
            return;
        }
        try
        {
            if (!await initializer.TryEnsureAsync().ConfigureAwait(false))
            {
                return;
            }
            var generation = backlog.AppendGeneration;
            var result = await buffer.ReplayAsync(b => WriteBatchAsync(b, CancellationToken.None), BatchSize, CancellationToken.None).ConfigureAwait(false);
            // Writes appended meanwhile (synchronous durability, a spill) land in files the pass did not see. On a
            // flush, go on while passes make progress, so what this process wrote before the flush is stored.
            for (var pass = 0; force && !result.Busy && !result.Complete && result.Replayed > 0 && pass < 100; pass++)
            {
                generation = backlog.AppendGeneration;
                result = await buffer.ReplayAsync(b => WriteBatchAsync(b, CancellationToken.None), BatchSize, CancellationToken.None).ConfigureAwait(false);
            }
            if (result.Busy || !result.Complete)
            {
                // Another process replays the shared folder, or files of live processes remain: look again later.
                retry.RetryAfter(options.FlushInterval);
            }
            else if (!ClearUnlessAppended(generation))
            {
                // Written to the buffer after this pass looked at its files: the next pass replays it.
                retry.RetryNow();
            }
        }
        catch (StoreUnavailableException)
        {
            // Backoff already scheduled by the batch writer.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            noteFailure($"cannot read the durable buffer: {e.Message}");
        }
    }

    private bool ClearUnlessAppended(long generation)
    {
        if (overflowOpen() || backlog.AppendGeneration != generation)
        {
            return false;
        }
        backlog.Clear();
        // An overflow may have opened (or a caller appended) between the check and the clear: look once more.
        if (overflowOpen() || backlog.AppendGeneration != generation)
        {
            backlog.Set();
            return false;
        }
        return true;
    }
}
