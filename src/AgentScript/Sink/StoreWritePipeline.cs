using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using AgentScript.Configuration;
using AgentScript.Model;
using AgentScript.Storage;
using Serilog.Debugging;
using Serilog.Events;

namespace AgentScript.Sink;

/// <summary>
/// The one write pipeline of a process: every <see cref="StoreWrite"/> (events, run records, learnings,
/// relations) is queued in a bounded memory channel and written in batches by a single background writer, so the
/// caller never waits on the store. When the store is unavailable or slow, or the queue is full, writes go to the
/// durable buffer and are replayed in order later; writes the store refuses go to the dead-letter file.
/// </summary>
internal sealed class StoreWritePipeline : IAsyncDisposable, IDisposable
{
    private readonly IAgentLogStore _store;
    private readonly bool _ownsStore;
    private readonly WritePipelineOptions _options;
    private readonly Channel<QueuedWrite> _channel;
    private readonly DurableBuffer _buffer;
    private readonly TextWriter _diagnostics;
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly ConcurrentDictionary<string, RunEventCounts> _runCounts = new(StringComparer.Ordinal);
    private readonly Lock _flushLock = new();
    private readonly List<(long Target, TaskCompletionSource<bool> Done)> _flushWaiters = [];
    private readonly Task _writer;
    private readonly Lock _syncAppendLock = new();
    private readonly SemaphoreSlim _initLock = new(1, 1);
    // Guards the overflow state (_overflowEpoch, the buffer's lanes) and the writer's batch in hand.
    private readonly Lock _spillLock = new();
    private readonly List<StoreWrite> _inHand = [];
    // Overflow: when the queue is full, callers append their own write to the buffer's overflow lane and the writer
    // moves what is queued in memory (older) to the memory lane ahead of it. 0 = no overflow open. A thread that
    // overflowed keeps using the lane until the overflow closes, so its writes never overtake each other.
    private long _overflowEpoch;
    // Whether the writer must put queued writes into the memory lane (older writes are buffered, or one of this
    // overflow's batches already went there); otherwise it stores them directly — they are older than the lane.
    private bool _memoryToLane;
    private static long s_overflowEpochs;
    [ThreadStatic]
    private static long t_overflowEpoch;
    private long _enqueued;
    // Counts callers' appends to the buffer (synchronous durability, overflow) so a replay pass knows whether the
    // buffer got new writes while it ran.
    private long _appendGeneration;
    private long _processed;
    private bool _initialized;
    private int _failures;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private bool _backlog;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private bool _unavailableWarned;
    private DateTimeOffset _statusWrittenAt = DateTimeOffset.MinValue;
    private Task<bool>? _readWait;
    private int _disposed;

    /// <summary>Creates the pipeline and starts its background writer (which first replays anything left in the buffer).</summary>
    /// <param name="store">The store to write to.</param>
    /// <param name="options">Batching, buffer and limit settings.</param>
    /// <param name="ownsStore">Dispose the store with the pipeline.</param>
    public StoreWritePipeline(IAgentLogStore store, WritePipelineOptions options, bool ownsStore = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _ownsStore = ownsStore;
        _options = options;
        _diagnostics = options.Diagnostics ?? Console.Error;
        _channel = Channel.CreateBounded<QueuedWrite>(new BoundedChannelOptions(Math.Max(1, options.QueueCapacity))
        {
            // Callers never read; the writer, and the overflow close under _spillLock, do.
            SingleReader = false,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _buffer = new DurableBuffer(options.BufferDirectory, options.MaxBufferBytes, Counters, _diagnostics);
        _backlog = _buffer.HasFiles;
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>Creates a pipeline over a store opened from <paramref name="options"/> (owned by the pipeline).</summary>
    public static StoreWritePipeline Create(AgentScriptOptions options, TextWriter? diagnostics = null) =>
        new(AgentLogStores.OpenOrUnavailable(options), WritePipelineOptions.From(options) with { Diagnostics = diagnostics }, ownsStore: true);

    /// <summary>The store written to.</summary>
    public IAgentLogStore Store => _store;

    /// <summary>The settings in use.</summary>
    public WritePipelineOptions Options => _options;

    /// <summary>What the pipeline has done.</summary>
    public SinkCounters Counters { get; } = new();

    // Replay reads writes that are all waiting already: as many per store call as a catching-up batch.
    private int ReplayBatchSize => Math.Max(_options.BatchSize, _options.MaxBatchSize);

    /// <summary>The buffer folder's backlog now.</summary>
    public BufferBacklog Backlog => DurableBuffer.Inspect(_options.BufferDirectory);

    /// <summary>
    /// Queues a write. Never blocks on the store: when the memory queue is full, or in synchronous durability, the
    /// write is appended to the durable buffer before this returns.
    /// </summary>
    public void Enqueue(StoreWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Enqueue(new QueuedWrite(write, null, 0));
    }

    /// <summary>
    /// Queues a Serilog event as it is. It is mapped to a stored record (<see cref="LogEventMapper"/>) on the writer
    /// thread, not the caller's: Serilog has captured its property values already, so the log call pays only for
    /// the enqueue (as with Serilog's own async sink).
    /// </summary>
    internal void Enqueue(LogEvent logEvent, int threadId) => Enqueue(new QueuedWrite(null, logEvent, threadId));

    private void Enqueue(QueuedWrite item)
    {
        Counters.AddReceived();
        if (_options.Durability == Durability.Synchronous || Volatile.Read(ref _disposed) != 0)
        {
            // Synchronous durability: the write is on disk (OS cache) when the log call returns. Also used for
            // writes that arrive after disposal started, so none is lost.
            if (Materialize(item) is { } write)
            {
                lock (_syncAppendLock)
                {
                    _buffer.TryAppend([write]);
                }
            }
            Interlocked.Increment(ref _appendGeneration);
            Volatile.Write(ref _backlog, true);
            return;
        }
        var epoch = Volatile.Read(ref _overflowEpoch);
        if (epoch != 0 && t_overflowEpoch == epoch)
        {
            Overflow(item);
            return;
        }
        Interlocked.Increment(ref _enqueued);
        if (!_channel.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _enqueued);
            // Queue full (store slow or down): append to the durable buffer instead of blocking or dropping.
            Overflow(item);
        }
    }

    /// <summary>The store write for a queued item: Serilog events are mapped here. Null (counted dropped) if mapping fails.</summary>
    private StoreWrite? Materialize(in QueuedWrite item)
    {
        if (item.Write is { } write)
        {
            return write;
        }
        try
        {
            // Mapped on the writer thread (or an overflowing caller's): the record keeps the thread that logged.
            return new AppendEvent(LogEventMapper.Map(item.Event!, item.ThreadId, _options.PropertyLimits, _options.PayloadLimits));
        }
        catch (Exception e)
        {
            // Map is written not to throw; if it ever does, the event is counted and reported, not silently lost.
            Counters.AddDropped(1);
            SelfLog.WriteLine("AgentScript could not map an event: {0}", e);
            return null;
        }
    }

    /// <summary>
    /// Appends the caller's own write to the overflow lane of the durable buffer, opening an overflow if none is open.
    /// The caller pays for mapping and one buffered file append (microseconds), never for the store or for other
    /// writes: the writer moves the older writes still queued in memory to the memory lane, which replays first.
    /// </summary>
    private void Overflow(QueuedWrite item)
    {
        if (Materialize(item) is not { } write)
        {
            return;
        }
        var line = DurableBuffer.SerializeLine(write);
        lock (_spillLock)
        {
            if (_overflowEpoch == 0)
            {
                _buffer.OpenLanes();
                Volatile.Write(ref _memoryToLane, Volatile.Read(ref _backlog));
                _overflowEpoch = Interlocked.Increment(ref s_overflowEpochs);
                Volatile.Write(ref _backlog, true);
            }
            if (_buffer.TryAppendOverflow(line))
            {
                Counters.AddSpilled(1);
            }
            Interlocked.Increment(ref _appendGeneration);
            t_overflowEpoch = _overflowEpoch;
        }
    }

    /// <summary>
    /// Closes the open overflow once the queue is (nearly) drained — or at once when <paramref name="force"/>d (flush,
    /// shutdown): what is left in the queue goes to the memory lane first, then both lanes are closed so replay can
    /// take them. Writes queued after this are newer than everything in the lanes.
    /// </summary>
    private void TryCloseOverflow(bool force)
    {
        if (Volatile.Read(ref _overflowEpoch) == 0)
        {
            return;
        }
        lock (_spillLock)
        {
            if (_overflowEpoch == 0 || (!force && _channel.Reader.Count > _options.BatchSize))
            {
                return;
            }
            var rest = DrainChannel();
            Interlocked.Add(ref _processed, rest.Count);
            if (rest.Count > 0 && _buffer.TryAppend(rest))
            {
                Counters.AddSpilled(rest.Count);
            }
            _buffer.CloseLanes();
            _overflowEpoch = 0;
            if (_failures == 0)
            {
                // The lanes were live, so the last replay stopped at them; they can be replayed at once now.
                _retryAt = DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>Moves one write from the queue into the writer's batch in hand.</summary>
    private bool TryTake(ChannelReader<QueuedWrite> reader)
    {
        lock (_spillLock)
        {
            if (!reader.TryRead(out var item))
            {
                return false;
            }
            if (Materialize(item) is { } w)
            {
                _inHand.Add(w);
            }
            // Counted when taken: flush waiters are completed only between batches, when it has been handled.
            Interlocked.Increment(ref _processed);
            return true;
        }
    }

    private int InHandCount()
    {
        lock (_spillLock)
        {
            return _inHand.Count;
        }
    }

    /// <summary>Counts an event of a run (called by the sink for every event that has an execution id).</summary>
    internal void CountEvent(string executionId, LogEventLevel level)
    {
        var counts = _runCounts.GetOrAdd(executionId, static _ => new RunEventCounts());
        counts.Add(level);
    }

    /// <summary>Events counted for <paramref name="executionId"/> so far: total and by level.</summary>
    public (long Total, IReadOnlyDictionary<string, long> ByLevel) GetRunCounts(string executionId) =>
        _runCounts.TryGetValue(executionId, out var c) ? c.Snapshot() : (0, new Dictionary<string, long>());

    /// <summary>Stops counting events of a finished run.</summary>
    public void ForgetRun(string executionId) => _runCounts.TryRemove(executionId, out _);

    /// <summary>
    /// Writes everything queued so far to the store (or the durable buffer when the store is down) and tries to
    /// replay the buffer. True when nothing is left in memory or in the buffer.
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _enqueued);
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_flushLock)
        {
            _flushWaiters.Add((target, done));
        }
        _signal.Release();
        if (_writer.IsCompleted)
        {
            return await FinalFlushWithoutWriterAsync(cancellationToken).ConfigureAwait(false);
        }
        return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replays the durable buffer into the store now (for <c>agentlog</c>); returns the writes replayed.</summary>
    /// <exception cref="StoreUnavailableException">The store is still unavailable.</exception>
    public async Task<long> ReplayBufferAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var before = Counters.Replayed;
        var result = await _buffer.ReplayAsync(batch => WriteReplayBatchAsync(batch, cancellationToken), ReplayBatchSize, cancellationToken).ConfigureAwait(false);
        if (result.Busy)
        {
            throw new StoreUnavailableException($"Another process is replaying the durable buffer in {_options.BufferDirectory}; try again shortly.");
        }
        return Counters.Replayed - before;
    }

    private async Task WriteReplayBatchAsync(IReadOnlyList<StoreWrite> batch, CancellationToken cancellationToken)
    {
        var stored = await WriteIsolatingAsync(batch, cancellationToken).ConfigureAwait(false);
        if (stored < 0)
        {
            throw new StoreUnavailableException(_lastError ?? "The store is unavailable.");
        }
        Counters.AddReplayed(stored);
    }

    private async Task RunWriterAsync()
    {
        var reader = _channel.Reader;
        try
        {
            if (Volatile.Read(ref _backlog))
            {
                await TryReplayAsync(force: true).ConfigureAwait(false);
            }
            while (true)
            {
                var batchStarted = DateTimeOffset.UtcNow;
                // Collect a batch: up to BatchSize, or what arrived within FlushInterval, or now when a flush is asked.
                // When more is already waiting than one batch, take up to MaxBatchSize: a store call costs much less
                // per write in a big transaction, so the writer catches up instead of falling further behind.
                var limit = _options.BatchSize;
                while (InHandCount() < limit)
                {
                    if (TryTake(reader))
                    {
                        var inHand = InHandCount();
                        if (inHand == 1)
                        {
                            batchStarted = DateTimeOffset.UtcNow;
                        }
                        if (inHand >= limit && limit < _options.MaxBatchSize && reader.Count >= _options.BatchSize)
                        {
                            limit = _options.MaxBatchSize;
                        }
                        continue;
                    }
                    if (FlushRequested() || reader.Completion.IsCompleted)
                    {
                        break;
                    }
                    var now = DateTimeOffset.UtcNow;
                    TimeSpan wait;
                    if (InHandCount() > 0)
                    {
                        wait = batchStarted + _options.FlushInterval - now;
                        if (wait <= TimeSpan.Zero)
                        {
                            break;
                        }
                    }
                    else if (Volatile.Read(ref _backlog))
                    {
                        var due = _retryAt > now ? _retryAt : now + _options.FlushInterval;
                        wait = due - now;
                    }
                    else
                    {
                        wait = _options.FlushInterval;
                    }
                    var timedOut = await WaitAsync(reader, wait).ConfigureAwait(false);
                    if (timedOut && InHandCount() == 0)
                    {
                        break;
                    }
                }

                List<StoreWrite> batch;
                lock (_spillLock)
                {
                    batch = [.. _inHand];
                }
                if (batch.Count > 0)
                {
                    await WriteBatchAsync(batch).ConfigureAwait(false);
                    lock (_spillLock)
                    {
                        // Written or buffered.
                        _inHand.Clear();
                    }
                }
                // The flushes asked so far; they are answered after this pass's overflow close and replay.
                var flushing = FlushRequested(out var flushWaiters);
                _buffer.FlushLanes();
                TryCloseOverflow(force: flushing || reader.Completion.IsCompleted);
                if (Volatile.Read(ref _backlog) && (flushing || DateTimeOffset.UtcNow >= _retryAt))
                {
                    await TryReplayAsync(force: flushing).ConfigureAwait(false);
                }
                WriteStatus(force: flushing);
                if (flushing)
                {
                    // A flush asked during this pass waits for the next one, which closes and replays for it.
                    CompleteFlushWaiters(drained: reader.Count == 0, flushWaiters);
                }
                if (reader.Completion.IsCompleted && reader.Count == 0)
                {
                    // Completed during this pass (after its overflow close): callers may have opened an overflow
                    // meanwhile; close it so the final replay (DisposeAsync) can take its lanes.
                    TryCloseOverflow(force: true);
                    break;
                }
            }
        }
        catch (Exception e)
        {
            // The writer must not die silently: move whatever is still queued to the durable buffer.
            Warn($"AgentScript: the log writer stopped unexpectedly ({e.GetType().Name}: {e.Message}); queued writes go to the durable buffer {_options.BufferDirectory}.");
            lock (_spillLock)
            {
                var rest = new List<StoreWrite>(_inHand);
                _inHand.Clear();
                rest.AddRange(DrainChannel());
                _buffer.TryAppend(rest);
                _buffer.CloseLanes();
                _overflowEpoch = 0;
            }
        }
        finally
        {
            CompleteFlushWaiters(drained: true);
            WriteStatus(force: true);
        }
    }

    private List<StoreWrite> DrainChannel()
    {
        var list = new List<StoreWrite>(_channel.Reader.Count);
        while (_channel.Reader.TryRead(out var item))
        {
            if (Materialize(item) is { } w)
            {
                list.Add(w);
            }
        }
        return list;
    }

    private bool FlushRequested() => FlushRequested(out _);

    private bool FlushRequested(out int waiters)
    {
        lock (_flushLock)
        {
            waiters = _flushWaiters.Count;
            return waiters > 0;
        }
    }

    /// <summary>Answers the flush waiters whose writes are handled (all when <paramref name="drained"/>), among the first <paramref name="upTo"/>.</summary>
    private void CompleteFlushWaiters(bool drained, int upTo = int.MaxValue)
    {
        var processed = Interlocked.Read(ref _processed);
        List<TaskCompletionSource<bool>>? ready = null;
        lock (_flushLock)
        {
            for (var i = Math.Min(upTo, _flushWaiters.Count) - 1; i >= 0; i--)
            {
                if (_flushWaiters[i].Target <= processed || drained)
                {
                    (ready ??= []).Add(_flushWaiters[i].Done);
                    _flushWaiters.RemoveAt(i);
                }
            }
        }
        if (ready is not null)
        {
            var clean = !Volatile.Read(ref _backlog) && _channel.Reader.Count == 0;
            foreach (var r in ready)
            {
                r.TrySetResult(clean);
            }
        }
    }

    /// <returns>True when the wait timed out.</returns>
    private async Task<bool> WaitAsync(ChannelReader<QueuedWrite> reader, TimeSpan wait)
    {
        // One pending WaitToReadAsync at a time, reused across wake-ups, so idle periods do not pile up waiters.
        _readWait ??= reader.WaitToReadAsync().AsTask();
        var signal = _signal.WaitAsync(wait);
        var first = await Task.WhenAny(_readWait, signal).ConfigureAwait(false);
        if (first == _readWait)
        {
            _readWait = null;
            return false;
        }
        return !await signal.ConfigureAwait(false);
    }

    private async Task WriteBatchAsync(List<StoreWrite> batch)
    {
        if (Volatile.Read(ref _overflowEpoch) != 0)
        {
            // An overflow is open: this batch is older than the overflow lane. With nothing older buffered, the store
            // can take it directly (no disk round trip when the store is only slower than the callers); otherwise,
            // or if the store fails, it goes to the memory lane, which replays ahead of the overflow lane.
            if (!Volatile.Read(ref _memoryToLane))
            {
                var direct = await WriteIsolatingAsync(batch, CancellationToken.None).ConfigureAwait(false);
                if (direct >= 0)
                {
                    Counters.AddStored(direct);
                    return;
                }
                Volatile.Write(ref _memoryToLane, true);
            }
            if (_buffer.TryAppend(batch))
            {
                Counters.AddSpilled(batch.Count);
            }
            return;
        }
        if (Volatile.Read(ref _backlog))
        {
            // Keep order: nothing goes to the store directly while older writes wait in the buffer.
            if (DateTimeOffset.UtcNow >= _retryAt)
            {
                await TryReplayAsync(force: false).ConfigureAwait(false);
            }
            if (Volatile.Read(ref _backlog))
            {
                _buffer.TryAppend(batch);
                return;
            }
        }
        var stored = await WriteIsolatingAsync(batch, CancellationToken.None).ConfigureAwait(false);
        if (stored < 0)
        {
            // Goes to the memory lane if an overflow opened meanwhile: still ahead of everything newer.
            _buffer.TryAppend(batch);
            Volatile.Write(ref _backlog, true);
            return;
        }
        Counters.AddStored(stored);
    }

    private async Task TryReplayAsync(bool force)
    {
        if (!force && DateTimeOffset.UtcNow < _retryAt)
        {
            return;
        }
        try
        {
            if (!await TryEnsureInitializedAsync().ConfigureAwait(false))
            {
                return;
            }
            var generation = Volatile.Read(ref _appendGeneration);
            var result = await _buffer.ReplayAsync(batch => WriteReplayBatchAsync(batch, CancellationToken.None), ReplayBatchSize, CancellationToken.None).ConfigureAwait(false);
            // A pass reads the files present when it starts; writes appended meanwhile (synchronous durability,
            // a spill) land in files it did not see. On a flush, go on while passes make progress, so what this
            // process wrote before the flush is stored when the flush returns.
            for (var pass = 0; force && !result.Busy && !result.Complete && result.Replayed > 0 && pass < 100; pass++)
            {
                generation = Volatile.Read(ref _appendGeneration);
                result = await _buffer.ReplayAsync(batch => WriteReplayBatchAsync(batch, CancellationToken.None), ReplayBatchSize, CancellationToken.None).ConfigureAwait(false);
            }
            if (result.Busy)
            {
                // Another process replays the shared folder; check again later.
                _retryAt = DateTimeOffset.UtcNow + _options.FlushInterval;
                return;
            }
            if (result.Complete)
            {
                if (!ClearBacklogUnlessAppended(generation))
                {
                    // Written to the buffer after this pass looked at its files: the next pass replays it.
                    _retryAt = DateTimeOffset.MinValue;
                }
            }
            else
            {
                // Files of live processes remain; they will be picked up on a later pass.
                _retryAt = DateTimeOffset.UtcNow + _options.FlushInterval;
            }
        }
        catch (StoreUnavailableException)
        {
            // Backoff already scheduled by WriteIsolatingAsync.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            NoteFailure($"cannot read the durable buffer: {e.Message}");
        }
    }

    /// <summary>
    /// Clears the backlog flag after a complete replay pass — unless a caller appended to the buffer since
    /// <paramref name="generation"/> was read or an overflow is open: then that write would wait, unflagged, for
    /// another process to replay it.
    /// </summary>
    private bool ClearBacklogUnlessAppended(long generation)
    {
        lock (_spillLock)
        {
            if (_overflowEpoch != 0 || Volatile.Read(ref _appendGeneration) != generation)
            {
                return false;
            }
            Volatile.Write(ref _backlog, false);
            return true;
        }
    }

    private async Task<bool> TryEnsureInitializedAsync()
    {
        try
        {
            await EnsureInitializedAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }

    /// <summary>
    /// Initialises the store now (idempotent). Returns null when it is usable, else the reason it is not (the
    /// pipeline then buffers writes and retries later).
    /// </summary>
    public async Task<string?> InitializeStoreAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (StoreUnavailableException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var reason = $"the store at {_store.Location} did not answer in time";
            NoteFailure(reason);
            return reason;
        }
    }

    private async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _initialized))
        {
            return;
        }
        // The host, the writer and queries may all ask at once; the store sees one call at a time.
        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }
            await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _initialized, true);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            NoteFailure(e.Message);
            throw e as StoreUnavailableException ?? new StoreUnavailableException(e.Message, e);
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <summary>
    /// Writes a batch; a write the store refuses for good (rejected, or failing alone with an unexpected error) is
    /// dead-lettered. Returns the number stored, or -1 when the store is unavailable (nothing can be assumed stored).
    /// </summary>
    private async Task<long> WriteIsolatingAsync(IReadOnlyList<StoreWrite> batch, CancellationToken cancellationToken)
    {
        if (!await TryEnsureInitializedAsync().ConfigureAwait(false))
        {
            return -1;
        }
        try
        {
            var outcome = await WriteWithTimeoutAsync(batch, cancellationToken).ConfigureAwait(false);
            NoteSuccess();
            foreach (var r in outcome.Rejected)
            {
                _buffer.DeadLetter(r.Write, r.Reason);
            }
            return batch.Count - outcome.Rejected.Count;
        }
        catch (StoreUnavailableException e)
        {
            NoteFailure(e.Message);
            return -1;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (batch.Count == 1)
            {
                // An unexpected error on a single write: it cannot be retried into success; keep it aside.
                _buffer.DeadLetter(batch[0], $"{e.GetType().Name}: {e.Message}");
                return 0;
            }
            // Find the write that fails by writing one at a time (the rest are stored).
            long stored = 0;
            foreach (var write in batch)
            {
                var one = await WriteIsolatingAsync([write], cancellationToken).ConfigureAwait(false);
                if (one < 0)
                {
                    return -1;
                }
                stored += one;
            }
            return stored;
        }
    }

    private async Task<WriteOutcome> WriteWithTimeoutAsync(IReadOnlyList<StoreWrite> batch, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_options.WriteTimeout);
        try
        {
            return await _store.WriteAsync(batch, cts.Token).WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"The store at {_store.Location} did not answer within {_options.WriteTimeout.TotalSeconds:0.#} s.");
        }
    }

    private void NoteSuccess()
    {
        if (_failures > 0)
        {
            _failures = 0;
            _retryAt = DateTimeOffset.MinValue;
            _unavailableWarned = false;
        }
    }

    private void NoteFailure(string message)
    {
        _failures++;
        var delay = TimeSpan.FromTicks(Math.Min(
            _options.MaxRetryDelay.Ticks,
            _options.MinRetryDelay.Ticks * (1L << Math.Min(_failures - 1, 20))));
        _retryAt = DateTimeOffset.UtcNow + delay;
        _lastError = message;
        _lastErrorAt = DateTimeOffset.UtcNow;
        if (!_unavailableWarned)
        {
            _unavailableWarned = true;
            Warn($"AgentScript: the log store is unavailable ({message}); log writes are kept in the durable buffer {_options.BufferDirectory} and will be replayed when it is back.");
        }
    }

    private void WriteStatus(bool force)
    {
        var now = DateTimeOffset.UtcNow;
        if (!force && now - _statusWrittenAt < TimeSpan.FromSeconds(1))
        {
            return;
        }
        _statusWrittenAt = now;
        try
        {
            var backlog = DurableBuffer.Inspect(_options.BufferDirectory);
            if (!force && backlog.Files == 0 && !Directory.Exists(_options.BufferDirectory))
            {
                return;
            }
            var status = new SinkStatus
            {
                UpdatedAt = now,
                Pid = Environment.ProcessId,
                Store = _store.Location,
                Counters = Counters.Snapshot(),
                BacklogFiles = backlog.Files,
                BacklogBytes = backlog.PendingBytes,
                DeadLetterBytes = backlog.DeadLetterBytes,
                LastError = _lastError,
                LastErrorAt = _lastErrorAt,
            };
            DurableBuffer.EnsureDirectory(_options.BufferDirectory);
            var path = Path.Combine(_options.BufferDirectory, SinkStatus.FileName);
            var temp = path + "." + Environment.ProcessId + ".tmp";
            DurableBuffer.WriteOwnerOnly(temp, status.ToUtf8Json());
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception)
        {
            // The status file is informational; never let it disturb logging.
        }
    }

    private async Task<bool> FinalFlushWithoutWriterAsync(CancellationToken cancellationToken)
    {
        TryCloseOverflow(force: true);
        var rest = DrainChannel();
        if (rest.Count > 0)
        {
            _buffer.TryAppend(rest);
            Volatile.Write(ref _backlog, true);
        }
        try
        {
            await TryReplayAsync(force: true).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        WriteStatus(force: true);
        return !Volatile.Read(ref _backlog);
    }

    private void Warn(string message)
    {
        try
        {
            _diagnostics.WriteLine(message);
            _diagnostics.Flush();
        }
        catch (Exception)
        {
            // Diagnostics are best effort.
        }
    }

    /// <summary>Drains the queue into the store or the durable buffer (waiting at most <see cref="WritePipelineOptions.DisposeTimeout"/>), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _channel.Writer.TryComplete();
        _signal.Release();
        try
        {
            await _writer.WaitAsync(_options.DisposeTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The store is too slow to drain into: keep what is left on disk instead.
            TryCloseOverflow(force: true);
            var rest = DrainChannel();
            if (rest.Count > 0)
            {
                Warn($"AgentScript: the log store did not take the last {rest.Count} writes within {_options.DisposeTimeout.TotalSeconds:0} s; they are kept in the durable buffer {_options.BufferDirectory}.");
                _buffer.TryAppend(rest);
            }
        }
        if (Volatile.Read(ref _backlog) && (_failures == 0 || DateTimeOffset.UtcNow >= _retryAt))
        {
            // One last replay pass so this process's own buffered writes reach the store when it is back. Skipped
            // while the store failed just now (backoff), so a script does not wait at exit for a store that is down:
            // the next process, or `agentlog`, replays the buffer.
            try
            {
                await TryReplayAsync(force: true).WaitAsync(_options.DisposeTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
        _buffer.Dispose();
        WriteStatus(force: true);
        if (_ownsStore)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed class RunEventCounts
    {
        private readonly long[] _byRank = new long[LogLevels.All.Count];
        private long _total;

        public void Add(LogEventLevel level)
        {
            Interlocked.Increment(ref _total);
            // Serilog's levels Verbose..Fatal are in the order of LogLevels.All (TRACE..CRITICAL).
            var rank = Math.Clamp((int)level, 0, _byRank.Length - 1);
            Interlocked.Increment(ref _byRank[rank]);
        }

        public (long, IReadOnlyDictionary<string, long>) Snapshot()
        {
            var d = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < _byRank.Length; i++)
            {
                var v = Interlocked.Read(ref _byRank[i]);
                if (v > 0)
                {
                    d[LogLevels.All[i]] = v;
                }
            }
            return (Interlocked.Read(ref _total), d);
        }
    }
}

/// <summary>An item of the memory queue: a store write, or a Serilog event still to be mapped (with its thread).</summary>
internal readonly record struct QueuedWrite(StoreWrite? Write, LogEvent? Event, int ThreadId);
