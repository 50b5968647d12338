// Job: the write path's public face — wires queue, writer loop, flushes, replay, status and run counters together.
using AgentScript.Configuration;
using AgentScript.Sink.Durable;
using AgentScript.Sink.Pipeline;
using AgentScript.Storage;
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
    private readonly SinkDiagnostics _diagnostics;
    private readonly TimeProvider _time;
    private readonly DurableBuffer _buffer;
    private readonly BacklogState _backlog;
    private readonly RetrySchedule _retry;
    private readonly StoreInitializer _initializer;
    private readonly RunCounters _runs = new();
    private readonly RunRecordKeeper _keeper;
    private readonly WriteQueue _queue;
    private readonly FlushCoordinator _flushes = new();
    private readonly BufferReplay _replay;
    private readonly StatusWriter _status;
    private readonly WriterLoop _loop;
    private readonly Task _writer;
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
        Options = options;
        _time = options.TimeProvider ?? TimeProvider.System;
        _diagnostics = new SinkDiagnostics(options.Diagnostics ?? Console.Error);
        var files = new OwnerOnlyFile(options.FileSystem ?? BufferFileSystem.Real);
        _retry = new RetrySchedule(options.MinRetryDelay, options.MaxRetryDelay, _time);
        _initializer = new StoreInitializer(store, NoteFailure);
        _keeper = new RunRecordKeeper(_runs, Counters);
        _buffer = new DurableBuffer(options.BufferDirectory, options.MaxBufferBytes, Counters, _diagnostics, files, _time, _keeper);
        _backlog = new BacklogState(_buffer.HasFiles);
        _queue = new WriteQueue(options, _buffer, _backlog, Counters, _keeper);
        var writer = new BatchWriter(store, _initializer, _buffer, _keeper, options.WriteTimeout, _time, NoteFailure, _retry.NoteSuccess);
        _replay = new BufferReplay(_buffer, writer, _initializer, _retry, _backlog, () => _queue.OverflowOpen, Counters, options, NoteFailure);
        _status = new StatusWriter(_buffer.Directory, files, _time);
        _loop = new WriterLoop(options, _queue, _flushes, writer, _replay, _buffer, _backlog, _retry, _keeper, Counters, WriteStatus, _diagnostics, _time);
        _writer = Task.Run(_loop.RunAsync);
    }

    /// <summary>Creates a pipeline over a store opened from <paramref name="options"/> (owned by the pipeline).</summary>
    public static StoreWritePipeline Create(AgentScriptOptions options, TextWriter? diagnostics = null) =>
        new(AgentLogStores.OpenOrUnavailable(options), WritePipelineOptions.From(options) with { Diagnostics = diagnostics }, ownsStore: true);

    /// <summary>The store written to.</summary>
    public IAgentLogStore Store => _store;

    /// <summary>The settings in use.</summary>
    public WritePipelineOptions Options { get; }

    /// <summary>What the pipeline has done.</summary>
    public SinkCounters Counters { get; } = new();

    /// <summary>The clock of this pipeline; run records and learnings take their times from it too.</summary>
    public TimeProvider Time => _time;

    /// <summary>The buffer folder's backlog now.</summary>
    public BufferBacklog Backlog => BufferBacklog.Inspect(Options.BufferDirectory);

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
        if (Options.Durability == Durability.Synchronous || Volatile.Read(ref _disposed) != 0)
        {
            // Synchronous durability: the write is on disk (OS cache) when the log call returns. Also used for
            // writes that arrive after disposal started, so none is lost.
            _queue.AppendNow(item);
            return;
        }
        _queue.Enqueue(item);
    }

    /// <summary>Counts an event of a run (called by the sink for every event that has an execution id).</summary>
    internal void CountEvent(string executionId, LogEventLevel level) => _runs.CountEvent(executionId, level);

    /// <summary>Events counted for <paramref name="executionId"/> so far: total and by level.</summary>
    public (long Total, IReadOnlyDictionary<string, long> ByLevel) GetRunCounts(string executionId) => _runs.Snapshot(executionId);

    /// <summary>Stops counting events of a finished run.</summary>
    public void ForgetRun(string executionId) => _runs.Forget(executionId);

    /// <summary>Writes of <paramref name="executionId"/> lost so far (durable buffer full or unwritable); must be 0.</summary>
    public long GetDroppedCount(string executionId) => _runs.DroppedFor(executionId);

    /// <summary>
    /// Writes everything queued so far to the store (or the durable buffer when the store is down) and tries to
    /// replay the buffer. Wakes the writer at once: no wait for the flush interval. True when nothing is left in
    /// memory or in the buffer.
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = _flushes.Request(_queue.Enqueued);
        if (_writer.IsCompleted)
        {
            return await FinalFlushWithoutWriterAsync(cancellationToken).ConfigureAwait(false);
        }
        return await done.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replays the durable buffer into the store now (for <c>agentlog</c>); returns the writes replayed.</summary>
    /// <exception cref="StoreUnavailableException">The store is still unavailable.</exception>
    public Task<long> ReplayBufferAsync(CancellationToken cancellationToken = default) => _replay.ReplayNowAsync(cancellationToken);

    /// <summary>
    /// Initialises the store now (idempotent). Returns null when it is usable, else the reason it is not (the
    /// pipeline then buffers writes and retries later).
    /// </summary>
    public Task<string?> InitializeStoreAsync(CancellationToken cancellationToken = default) => _initializer.InitializeAsync(cancellationToken);

    private void NoteFailure(string message)
    {
        if (_retry.NoteFailure(message))
        {
            _diagnostics.Warn($"AgentScript: the log store is unavailable ({message}); log writes are kept in the durable buffer {Options.BufferDirectory} and will be replayed when it is back.");
        }
    }

    private void WriteStatus(bool force) => _status.Write(now =>
    {
        var backlog = BufferBacklog.Inspect(Options.BufferDirectory);
        var dropped = _runs.DroppedRuns();
        return new SinkStatus
        {
            UpdatedAt = now,
            Pid = Environment.ProcessId,
            Store = _store.Location,
            Counters = Counters.Snapshot(),
            BacklogFiles = backlog.Files,
            BacklogBytes = backlog.PendingBytes,
            DeadLetterBytes = backlog.DeadLetterBytes,
            LastError = _retry.LastError,
            LastErrorAt = _retry.LastErrorAt,
            DroppedRuns = dropped.Count > 0 ? dropped : null,
        };
    }, force);

    private async Task<bool> FinalFlushWithoutWriterAsync(CancellationToken cancellationToken)
    {
        _queue.TryCloseOverflow(force: true);
        var rest = _queue.Drain();
        if (rest.Count > 0)
        {
            _buffer.TryAppend(rest);
            _backlog.Set();
        }
        try
        {
            await _replay.TryReplayAsync(force: true).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        WriteStatus(force: true);
        return _loop.IsClean();
    }

    /// <summary>Drains the queue into the store or the durable buffer (waiting at most <see cref="WritePipelineOptions.DisposeTimeout"/>), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _queue.Complete();
        _flushes.Wake();
        try
        {
            await _writer.WaitAsync(Options.DisposeTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The store is too slow to drain into: keep what is left on disk instead.
            _queue.TryCloseOverflow(force: true);
            var rest = _queue.Drain();
            if (rest.Count > 0)
            {
                _diagnostics.Warn($"AgentScript: the log store did not take the last {rest.Count} writes within {Options.DisposeTimeout.TotalSeconds:0} s; they are kept in the durable buffer {Options.BufferDirectory}.");
                _buffer.TryAppend(rest);
            }
        }
        if (_backlog.IsSet && (_retry.Failures == 0 || _retry.IsDue))
        {
            // One last replay pass so this process's own buffered writes reach the store when it is back. Skipped
            // while the store failed just now (backoff), so a script does not wait at exit for a store that is down:
            // the next process, or `agentlog`, replays the buffer.
            try
            {
                await _replay.TryReplayAsync(force: true).WaitAsync(Options.DisposeTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
        await _loop.RetryHeldRunRecordsAsync(force: false).ConfigureAwait(false);
        _buffer.Dispose();
        WriteStatus(force: true);
        ReportDrops();
        _queue.Dispose();
        if (_ownsStore)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The last word of a process that lost writes: which runs, how many, and where to look.</summary>
    private void ReportDrops()
    {
        var dropped = Counters.Dropped;
        if (dropped == 0)
        {
            return;
        }
        var runs = _runs.DroppedRuns();
        var which = runs.Count == 0 ? "" : " Runs: " + string.Join(", ", runs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Take(10).Select(kv => $"{kv.Key} ({kv.Value})")) + ".";
        _diagnostics.Warn($"AgentScript: WARNING: {dropped} log write(s) were DROPPED by this process (durable buffer full or unwritable); the record of these runs is incomplete.{which} Each run's end record says so; 'agentlog doctor' shows the counters.");
    }

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
