// Job: append writes to this process's buffer files (active file, or the two overflow lanes) within the size bound.
using System.Text.Json;
using AgentScript.Storage;

namespace AgentScript.Sink.Durable;

/// <summary>
/// Appends writes as JSON lines, flushed to the operating system before returning. The folder is bounded by
/// <c>LOG_MAX_BUFFER_SIZE_MB</c>: what does not fit is dropped (counted, warned once) — except essential writes (run
/// records), which pass the bound and, when the disk refuses them, are handed back to the owner to hold.
/// </summary>
/// <remarks>
/// During an overflow (memory queue full) two files are open in order: the memory lane, for writes that were already
/// queued in memory, and the overflow lane after it, for the writes that found the queue full. Replay takes a
/// writer's files in name order and stops at the first one still open, so the lanes replay in that order.
/// </remarks>
internal sealed class BufferAppender : IDisposable
{
    private const long RollBytes = 16L * 1024 * 1024;

    private readonly BufferFileSet _files;
    private readonly long _maxBytes;
    private readonly SinkCounters _counters;
    private readonly SinkDiagnostics _diagnostics;
    private readonly IWriteLossPolicy _policy;
    // Guards everything below.
    private readonly Lock _lock = new();
    private Stream? _active;
    private Stream? _memoryLane;
    private Stream? _overflowLane;
    private long _approxBytes;
    private bool _fullWarned;
    private bool _ioWarned;

    public BufferAppender(BufferFileSet files, long maxBytes, SinkCounters counters, SinkDiagnostics diagnostics, IWriteLossPolicy policy)
    {
        _files = files;
        _maxBytes = maxBytes;
        _counters = counters;
        _diagnostics = diagnostics;
        _policy = policy;
        _approxBytes = BufferBacklog.Inspect(files.Directory).TotalBytes;
    }

    /// <summary>A write as one JSON line, on loan (an event's line in the thread's reusable buffer).</summary>
    public static BufferLine RentLine(StoreWrite write) =>
        write is EventWrite append ? EventLineWriter.Rent(append) : new BufferLine(SerializeLine(write));

    /// <summary>A write as one JSON line (with its newline).</summary>
    public static byte[] SerializeLine(StoreWrite write)
    {
        if (write is EventWrite append)
        {
            // Nearly every line is an event: written directly, same bytes as the serializer's.
            return EventLineWriter.Line(append);
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(write, SinkJsonContext.Default.StoreWrite);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>
    /// Appends <paramref name="writes"/> in order — to the memory lane while an overflow is open, else to the active
    /// file. False when some were dropped or held (buffer full or unwritable).
    /// </summary>
    public bool TryAppend(IReadOnlyList<StoreWrite> writes)
    {
        if (writes.Count == 0)
        {
            return true;
        }
        // Serialised outside the lock; an essential write is serialised under it, after the losses before it are known.
        var lines = new byte[]?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            lines[i] = _policy.IsEssential(writes[i]) ? null : SerializeLine(writes[i]);
        }
        lock (_lock)
        {
            return AppendLocked(writes, lines, _memoryLane);
        }
    }

    /// <summary>
    /// Appends a serialised line to the overflow lane. It stays in the lane's file buffer (no system call per log call)
    /// until <see cref="FlushLanes"/> or the lane closes: a crash loses at most what arrived since, as with writes
    /// queued in memory.
    /// </summary>
    public bool TryAppendOverflow(ReadOnlySpan<byte> line, StoreWrite write)
    {
        lock (_lock)
        {
            var lane = _overflowLane ?? throw new InvalidOperationException("No overflow is open.");
            if (_approxBytes + line.Length <= _maxBytes)
            {
                try
                {
                    lane.Write(line);
                    _approxBytes += line.Length;
                    _ioWarned = false;
                    _counters.AddBuffered(1);
                    return true;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Retried below, which counts the loss and warns.
                }
            }
            return AppendLocked([write], [_policy.IsEssential(write) ? null : line.ToArray()], lane);
        }
    }

    /// <summary>Hands what the overflow lane holds in its file buffer to the operating system.</summary>
    public void FlushLanes()
    {
        lock (_lock)
        {
            try
            {
                _overflowLane?.Flush();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next append reports the failure (and counts what it drops).
            }
        }
    }

    /// <summary>Opens the memory lane, then the overflow lane (see remarks).</summary>
    public void OpenLanes()
    {
        lock (_lock)
        {
            CloseQuietly(ref _active);
            _memoryLane = _files.CreateNext();
            _overflowLane = _files.CreateNext(bufferSize: 64 * 1024);
        }
    }

    /// <summary>Closes both lanes (replay may then finish and delete them); later appends go to a new active file.</summary>
    public void CloseLanes()
    {
        lock (_lock)
        {
            CloseQuietly(ref _memoryLane);
            CloseQuietly(ref _overflowLane);
        }
    }

    /// <summary>Closes the active file so replay can finish and delete it.</summary>
    public void CloseActive()
    {
        lock (_lock)
        {
            CloseQuietly(ref _active);
        }
    }

    /// <summary>Re-measures the folder (after a replay removed files).</summary>
    public void Remeasure()
    {
        var bytes = BufferBacklog.Inspect(_files.Directory).TotalBytes;
        lock (_lock)
        {
            _approxBytes = bytes;
        }
    }

    /// <param name="writes">The writes, in order.</param>
    /// <param name="lines">Their lines; null for an essential write, serialised here after the losses before it.</param>
    /// <param name="target">A lane, or null for the active file.</param>
    private bool AppendLocked(IReadOnlyList<StoreWrite> writes, byte[]?[] lines, Stream? target)
    {
        var known = 0L;
        foreach (var l in lines)
        {
            known += l?.Length ?? 0;
        }
        if (_approxBytes + known > _maxBytes)
        {
            // Re-measure once: other processes may have drained the folder since we last looked.
            _approxBytes = BufferBacklog.Inspect(_files.Directory).TotalBytes;
        }
        var payload = new MemoryStream();
        var inPayload = new List<int>(writes.Count);
        var boundLost = 0;
        for (var i = 0; i < writes.Count; i++)
        {
            var essential = lines[i] is null;
            var line = lines[i] ?? SerializeLine(_policy.Prepare(writes[i]));
            if (!essential && _approxBytes + payload.Length + line.Length > _maxBytes)
            {
                boundLost++;
                _counters.AddDropped(1);
                _policy.Dropped(writes[i]);
                continue;
            }
            payload.Write(line);
            inPayload.Add(i);
        }
        if (inPayload.Count > 0 && !TryWrite(payload, target))
        {
            foreach (var i in inPayload)
            {
                if (lines[i] is null)
                {
                    _policy.Held(writes[i]);
                }
                else
                {
                    _counters.AddDropped(1);
                    _policy.Dropped(writes[i]);
                }
            }
            return false;
        }
        if (boundLost > 0)
        {
            if (!_fullWarned)
            {
                _fullWarned = true;
                _diagnostics.Warn($"AgentScript: the durable log buffer {_files.Directory} is full ({_approxBytes / (1024 * 1024)} MB, limit LOG_MAX_BUFFER_SIZE_MB={_maxBytes / (1024 * 1024)}); log writes are being DROPPED. Make the store reachable (agentlog doctor) or raise LOG_MAX_BUFFER_SIZE_MB.");
            }
        }
        else
        {
            _fullWarned = false;
        }
        _counters.AddBuffered(inPayload.Count);
        return boundLost == 0;
    }

    private bool TryWrite(MemoryStream payload, Stream? target)
    {
        try
        {
            var stream = target ?? (_active ??= _files.CreateNext());
            payload.Position = 0;
            payload.CopyTo(stream);
            stream.Flush();
            _approxBytes += payload.Length;
            if (target is null && stream.Length > RollBytes)
            {
                CloseQuietly(ref _active);
            }
            _ioWarned = false;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (target is null)
            {
                CloseQuietly(ref _active);
            }
            if (!_ioWarned)
            {
                _ioWarned = true;
                _diagnostics.Warn($"AgentScript: cannot write the durable log buffer in {_files.Directory}: {e.Message}. Log writes are being DROPPED; free disk space, make the folder writable or set LOG_BUFFER_DIR.");
            }
            return false;
        }
    }

    private static void CloseQuietly(ref Stream? stream)
    {
        try
        {
            stream?.Dispose();
        }
        catch (Exception)
        {
            // Nothing more to save: the data was flushed after each append (a full disk may refuse the last flush).
        }
        stream = null;
    }

    public void Dispose()
    {
        CloseLanes();
        CloseActive();
    }
}
