// Job: the background writer — collect a batch, write it (or buffer it), close overflows, replay, answer flushes.
using AgentScript.Storage;

namespace AgentScript.Sink.Pipeline;

/// <summary>
/// The one background loop of a pipeline. A batch is up to <c>LOG_BATCH_SIZE</c> writes, or what arrived within
/// <c>LOG_FLUSH_INTERVAL</c>, or what is queued when a flush is asked (a flush wakes the loop at once). When more is
/// waiting than one batch it takes up to <c>MaxBatchSize</c>: a store call costs much less per write in a big
/// transaction, so the writer catches up instead of falling further behind. Order is kept: nothing goes to the store
/// directly while older writes wait in the buffer.
/// </summary>
internal sealed class WriterLoop(
    WritePipelineOptions options,
    WriteQueue queue,
    FlushCoordinator flushes,
    BatchWriter writer,
    BufferReplay replay,
    DurableBuffer buffer,
    BacklogState backlog,
    RetrySchedule retry,
    RunRecordKeeper keeper,
    SinkCounters counters,
    Action<bool> writeStatus,
    SinkDiagnostics diagnostics,
    TimeProvider time)
{
    public async Task RunAsync()
    {
        var reader = queue.Reader;
        try
        {
            if (backlog.IsSet)
            {
                await replay.TryReplayAsync(force: true).ConfigureAwait(false);
            }
            while (true)
            {
                await CollectBatchAsync().ConfigureAwait(false);
                var batch = queue.CopyInHand();
                if (batch.Count > 0)
                {
                    await WriteBatchAsync(batch).ConfigureAwait(false);
                    // Written or buffered.
                    queue.ClearInHand();
                }
                // The flushes asked so far; they are answered after this pass's overflow close and replay.
                var flushWaiters = flushes.Pending;
                var flushing = flushWaiters > 0;
                buffer.FlushLanes();
                if (queue.TryCloseOverflow(force: flushing || reader.Completion.IsCompleted))
                {
                    // The lanes were live, so the last replay stopped at them; they can be replayed at once now.
                    retry.RetryNowUnlessFailing();
                }
                if (backlog.IsSet && (flushing || retry.IsDue))
                {
                    await replay.TryReplayAsync(force: flushing).ConfigureAwait(false);
                }
                // After the replay: held run records are newer than what the buffer holds.
                await RetryHeldRunRecordsAsync(force: flushing).ConfigureAwait(false);
                writeStatus(flushing);
                if (flushing)
                {
                    // A flush asked during this pass waits for the next one, which closes and replays for it.
                    flushes.Complete(queue.Processed, drained: reader.Count == 0, IsClean, flushWaiters);
                }
                if (reader.Completion.IsCompleted && reader.Count == 0)
                {
                    // Completed during this pass (after its overflow close): callers may have opened an overflow
                    // meanwhile; close it so the final replay (disposal) can take its lanes.
                    queue.TryCloseOverflow(force: true);
                    break;
                }
            }
        }
        catch (Exception e)
        {
            // The writer must not die silently: move whatever is still queued to the durable buffer.
            diagnostics.Warn($"AgentScript: the log writer stopped unexpectedly ({e.GetType().Name}: {e.Message}); queued writes go to the durable buffer {options.BufferDirectory}.");
            queue.SaveAllToBuffer();
        }
        finally
        {
            flushes.Complete(queue.Processed, drained: true, IsClean);
            writeStatus(true);
        }
    }

    /// <summary>True when nothing is left in memory or in the buffer.</summary>
    public bool IsClean() => !backlog.IsSet && queue.Reader.Count == 0 && !keeper.HasHeld;

    private async Task CollectBatchAsync()
    {
        var reader = queue.Reader;
        var batchStarted = time.GetUtcNow();
        var limit = options.BatchSize;
        while (queue.InHandCount < limit)
        {
            if (queue.TryTake())
            {
                var inHand = queue.InHandCount;
                if (inHand == 1)
                {
                    batchStarted = time.GetUtcNow();
                }
                if (inHand >= limit && limit < options.MaxBatchSize && reader.Count >= options.BatchSize)
                {
                    limit = options.MaxBatchSize;
                }
                continue;
            }
            // Taken before the check, so a flush asked in between completes this very wait.
            var wake = flushes.NextWake();
            if (flushes.IsRequested || reader.Completion.IsCompleted)
            {
                return;
            }
            var now = time.GetUtcNow();
            TimeSpan wait;
            if (queue.InHandCount > 0)
            {
                wait = batchStarted + options.FlushInterval - now;
                if (wait <= TimeSpan.Zero)
                {
                    return;
                }
            }
            else if (backlog.IsSet || keeper.HasHeld)
            {
                wait = retry.RetryAt > now ? retry.UntilDue : options.FlushInterval;
            }
            else
            {
                wait = options.FlushInterval;
            }
            var timedOut = await WaitAsync(reader, wake, wait).ConfigureAwait(false);
            if (timedOut && queue.InHandCount == 0)
            {
                return;
            }
        }
    }

    // One pending WaitToReadAsync at a time, reused across wake-ups, so idle periods do not pile up waiters.
    private Task<bool>? _readWait;

    /// <returns>True when the wait timed out.</returns>
    private async Task<bool> WaitAsync(System.Threading.Channels.ChannelReader<QueuedWrite> reader, Task wake, TimeSpan wait)
    {
        _readWait ??= reader.WaitToReadAsync().AsTask();
        using var cancelDelay = new CancellationTokenSource();
        var delay = Task.Delay(wait, time, cancelDelay.Token);
        var first = await Task.WhenAny(_readWait, wake, delay).ConfigureAwait(false);
        await cancelDelay.CancelAsync().ConfigureAwait(false);
        if (first == _readWait)
        {
            _readWait = null;
        }
        return first == delay;
    }

    private async Task WriteBatchAsync(List<StoreWrite> batch)
    {
        if (queue.OverflowOpen)
        {
            // An overflow is open: this batch is older than the overflow lane. With nothing older buffered, the store
            // can take it directly (no disk round trip when the store is only slower than the callers); otherwise,
            // or if the store fails, it goes to the memory lane, which replays ahead of the overflow lane.
            if (!queue.MemoryToLane)
            {
                var direct = await writer.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                if (direct >= 0)
                {
                    counters.AddStored(direct);
                    return;
                }
                queue.MemoryToLane = true;
            }
            if (buffer.TryAppend(batch))
            {
                counters.AddSpilled(batch.Count);
            }
            return;
        }
        if (backlog.IsSet)
        {
            // Keep order: nothing goes to the store directly while older writes wait in the buffer.
            if (retry.IsDue)
            {
                await replay.TryReplayAsync(force: false).ConfigureAwait(false);
            }
            if (backlog.IsSet)
            {
                buffer.TryAppend(batch);
                return;
            }
        }
        var stored = await writer.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
        if (stored < 0)
        {
            // Goes to the memory lane if an overflow opened meanwhile: still ahead of everything newer.
            buffer.TryAppend(batch);
            backlog.Set();
            return;
        }
        counters.AddStored(stored);
    }

    /// <summary>
    /// Run records the disk refused wait in memory: into the store when it is up and nothing older is buffered, else
    /// into the buffer again (space may be back). Also called at disposal.
    /// </summary>
    public async Task RetryHeldRunRecordsAsync(bool force)
    {
        if (!keeper.HasHeld || (!force && !retry.IsDue && retry.Failures > 0))
        {
            return;
        }
        var held = keeper.TakeHeld();
        if (!backlog.IsSet && !queue.OverflowOpen)
        {
            var stored = await writer.WriteAsync(held, CancellationToken.None).ConfigureAwait(false);
            if (stored >= 0)
            {
                counters.AddStored(stored);
                return;
            }
        }
        // Held again by the buffer when the disk still refuses them.
        buffer.TryAppend(held);
        backlog.Set();
    }
}
