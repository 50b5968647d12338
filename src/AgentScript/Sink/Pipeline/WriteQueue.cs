// Job: the bounded memory queue between log calls and the writer, and its overflow into the durable buffer.
using System.Threading.Channels;
using AgentScript.Storage;
using Serilog.Debugging;
using Serilog.Events;

namespace AgentScript.Sink.Pipeline;

/// <summary>An item of the memory queue: a store write, or a Serilog event still to be mapped (with its thread).</summary>
internal readonly record struct QueuedWrite(StoreWrite? Write, LogEvent? Event, int ThreadId);

/// <summary>
/// Callers never wait: a write goes into a bounded channel, or — when it is full (store slow or down) — the caller
/// appends it to the buffer's overflow lane itself and the writer moves what is still queued (older) to the memory
/// lane ahead of it. A thread that overflowed keeps using the lane until the overflow closes, so its writes never
/// overtake each other. The writer takes writes into its batch in hand under the same lock that closes an overflow.
/// </summary>
internal sealed class WriteQueue : IDisposable
{
    private readonly Channel<QueuedWrite> _channel;
    private readonly DurableBuffer _buffer;
    private readonly BacklogState _backlog;
    private readonly SinkCounters _counters;
    private readonly WritePipelineOptions _options;
    private readonly RunRecordKeeper _keeper;

    // Guards the overflow state and the writer's batch in hand.
    private readonly Lock _spillLock = new();
    private readonly List<StoreWrite> _inHand = [];
    // 0 = no overflow open; each overflow gets a new number, and each thread remembers the one it joined.
    private long _overflowEpoch;
    private long _lastEpoch;
    // Made by the first overflow: a process that never overflows never pays for a ThreadLocal (its generic code is
    // JIT-compiled on first use, measurable at start-up).
    private ThreadLocal<long>? _threadEpoch;
    // Whether the writer must put queued writes into the memory lane (older writes are buffered, or one of this
    // overflow's batches already went there); otherwise it stores them directly — they are older than the lane.
    private bool _memoryToLane;
    // Synchronous durability: callers append one at a time.
    private readonly Lock _syncAppendLock = new();

    // Counted by callers (enqueued) and the writer (processed, when taken): flushes compare the two.
    private long _enqueued;
    private long _processed;

    public WriteQueue(WritePipelineOptions options, DurableBuffer buffer, BacklogState backlog, SinkCounters counters, RunRecordKeeper keeper)
    {
        _options = options;
        _buffer = buffer;
        _backlog = backlog;
        _counters = counters;
        _keeper = keeper;
        _channel = Channel.CreateBounded<QueuedWrite>(new BoundedChannelOptions(Math.Max(1, options.QueueCapacity))
        {
            // Callers never read; the writer, and the overflow close under _spillLock, do.
            SingleReader = false,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<QueuedWrite> Reader => _channel.Reader;

    public long Enqueued => Interlocked.Read(ref _enqueued);

    public long Processed => Interlocked.Read(ref _processed);

    public bool OverflowOpen => Volatile.Read(ref _overflowEpoch) != 0;

    /// <summary>True when queued writes must go to the memory lane rather than the store (see field comment).</summary>
    public bool MemoryToLane
    {
        get => Volatile.Read(ref _memoryToLane);
        set => Volatile.Write(ref _memoryToLane, value);
    }

    /// <summary>Queues a write, or appends it to the overflow lane when the queue is full or this thread overflowed.</summary>
    public void Enqueue(QueuedWrite item)
    {
        var epoch = Volatile.Read(ref _overflowEpoch);
        if (epoch != 0 && Volatile.Read(ref _threadEpoch) is { } joined && joined.Value == epoch)
        {
            Overflow(item);
            return;
        }
        Interlocked.Increment(ref _enqueued);
        if (!_channel.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _enqueued);
            Overflow(item);
        }
    }

    /// <summary>Synchronous durability (and writes after disposal began): on disk (OS cache) when this returns.</summary>
    public void AppendNow(QueuedWrite item)
    {
        if (Materialize(item) is { } write)
        {
            lock (_syncAppendLock)
            {
                _buffer.TryAppend([write]);
            }
        }
        _backlog.NoteAppended();
    }

    /// <summary>The store write for a queued item: Serilog events are mapped here. Null (counted dropped) if mapping fails.</summary>
    public StoreWrite? Materialize(in QueuedWrite item)
    {
        if (item.Write is { } write)
        {
            return write;
        }
        try
        {
            // Mapped on the writer thread (or an overflowing caller's): the record keeps the thread that logged.
            return new EventWrite(LogEventMapper.Map(item.Event!, item.ThreadId, _options.PropertyLimits, _options.PayloadLimits));
        }
        catch (Exception e)
        {
            // Map is written not to throw; if it ever does, the event is counted and reported, not silently lost.
            _counters.AddDropped(1);
            SelfLog.WriteLine("AgentScript could not map an event: {0}", e);
            return null;
        }
    }

    /// <summary>
    /// Appends the caller's own write to the overflow lane, opening an overflow if none is open. The caller pays for
    /// mapping and one buffered file append (microseconds), never for the store or for other writes.
    /// </summary>
    private void Overflow(QueuedWrite item)
    {
        if (Materialize(item) is not { } write)
        {
            return;
        }
        // Serialised outside the lock, in this thread's reusable buffer (no array per event).
        using var line = DurableBuffer.RentLine(_keeper.Prepare(write));
        lock (_spillLock)
        {
            if (_overflowEpoch == 0)
            {
                _buffer.OpenLanes();
                Volatile.Write(ref _memoryToLane, _backlog.IsSet);
                _overflowEpoch = ++_lastEpoch;
                _backlog.Set();
            }
            if (_buffer.TryAppendOverflow(line.Span, write))
            {
                _counters.AddSpilled(1);
            }
            _backlog.NoteAppended();
            (_threadEpoch ??= new ThreadLocal<long>()).Value = _overflowEpoch;
        }
    }

    /// <summary>
    /// Closes the open overflow once the queue is (nearly) drained — or at once when <paramref name="force"/>d (flush,
    /// shutdown): what is left in the queue goes to the memory lane first, then both lanes close so replay can take
    /// them. Returns true when an overflow was closed.
    /// </summary>
    public bool TryCloseOverflow(bool force)
    {
        if (!OverflowOpen)
        {
            return false;
        }
        lock (_spillLock)
        {
            if (_overflowEpoch == 0 || (!force && _channel.Reader.Count > _options.BatchSize))
            {
                return false;
            }
            var rest = DrainLocked();
            if (rest.Count > 0 && _buffer.TryAppend(rest))
            {
                _counters.AddSpilled(rest.Count);
            }
            _buffer.CloseLanes();
            _overflowEpoch = 0;
            return true;
        }
    }

    /// <summary>Moves one write from the queue into the batch in hand; false when the queue is empty.</summary>
    public bool TryTake()
    {
        QueuedWrite item;
        lock (_spillLock)
        {
            if (!_channel.Reader.TryRead(out item))
            {
                return false;
            }
            // Counted when taken: flushes are answered only between batches, when it has been handled.
            Interlocked.Increment(ref _processed);
        }
        // Mapped outside the lock, so overflowing callers (who append under it) do not wait for the mapping. Only
        // the writer takes and holds writes in hand, and it closes overflows itself between batches, so the write
        // cannot be overtaken by a close while it is being mapped.
        if (Materialize(item) is { } w)
        {
            lock (_spillLock)
            {
                _inHand.Add(w);
            }
        }
        return true;
    }

    public int InHandCount
    {
        get
        {
            lock (_spillLock)
            {
                return _inHand.Count;
            }
        }
    }

    /// <summary>A copy of the batch in hand (it stays in hand until <see cref="ClearInHand"/>, so an abort can save it).</summary>
    public List<StoreWrite> CopyInHand()
    {
        lock (_spillLock)
        {
            return [.. _inHand];
        }
    }

    public void ClearInHand()
    {
        lock (_spillLock)
        {
            _inHand.Clear();
        }
    }

    /// <summary>Moves everything still in memory — the batch in hand, then the queue — to the buffer (the writer stopped).</summary>
    public void SaveAllToBuffer()
    {
        lock (_spillLock)
        {
            var rest = new List<StoreWrite>(_inHand);
            _inHand.Clear();
            rest.AddRange(DrainLocked());
            // Into the memory lane while an overflow is open: ahead of the overflow lane, as these are older.
            _buffer.TryAppend(rest);
            _buffer.CloseLanes();
            _overflowEpoch = 0;
        }
        _backlog.NoteAppended();
    }

    /// <summary>Empties the queue (shutdown): the writes, mapped, in order.</summary>
    public List<StoreWrite> Drain()
    {
        lock (_spillLock)
        {
            return DrainLocked();
        }
    }

    private List<StoreWrite> DrainLocked()
    {
        var list = new List<StoreWrite>(_channel.Reader.Count);
        while (_channel.Reader.TryRead(out var item))
        {
            Interlocked.Increment(ref _processed);
            if (Materialize(item) is { } w)
            {
                list.Add(w);
            }
        }
        return list;
    }

    /// <summary>No more writes will be queued (disposal); later ones are appended directly.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    public void Dispose() => _threadEpoch?.Dispose();
}
