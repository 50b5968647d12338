using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentScript.Storage;

namespace AgentScript.Sink;

/// <summary>
/// Append-only JSONL files of <see cref="StoreWrite"/> in the buffer folder, replayed in order with a bookmark
/// (byte offset per file, rewritten only after the store accepted the lines before it) — at-least-once delivery,
/// which the stores' idempotent inserts turn into exactly-once.
/// </summary>
/// <remarks>
/// Several processes may share the folder. Each appends only to files it created (named by process start time,
/// pid and a sequence, so a process's files sort in its own order) and keeps its active file open, which holds a
/// shared lock; a file is deleted only when fully replayed and an exclusive open succeeds (nobody writes it).
/// One process replays at a time (<c>replay.lock</c>).
/// </remarks>
internal sealed class DurableBuffer : IDisposable
{
    public const string FilePrefix = "buffer-";
    public const string FileExtension = ".jsonl";
    public const string BookmarkExtension = ".bookmark";
    public const string DeadLetterFileName = "deadletter.jsonl";
    public const string ReplayLockFileName = "replay.lock";
    private const long RollBytes = 16L * 1024 * 1024;

    private static readonly string ProcessTag =
        $"{DateTime.UtcNow.ToString("yyyyMMddTHHmmssfffffff", CultureInfo.InvariantCulture)}-{Environment.ProcessId}";

    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly SinkCounters _counters;
    private readonly TextWriter _diagnostics;
    private readonly Lock _appendLock = new();
    private readonly Lock _deadLetterLock = new();
    private FileStream? _active;
    private FileStream? _memoryLane;
    private FileStream? _overflowLane;
    private int _sequence;
    private long _approxBytes;
    private bool _fullWarned;
    private bool _ioWarned;
    private static int s_instance;
    private readonly int _instance = Interlocked.Increment(ref s_instance);

    public DurableBuffer(string directory, long maxBytes, SinkCounters counters, TextWriter diagnostics)
    {
        _directory = Path.GetFullPath(directory);
        _maxBytes = maxBytes;
        _counters = counters;
        _diagnostics = diagnostics;
        _approxBytes = Inspect(_directory).TotalBytes;
    }

    public string Directory => _directory;

    /// <summary>True when buffer files exist (written by anyone) — replay is due.</summary>
    public bool HasFiles
    {
        get
        {
            try
            {
                return System.IO.Directory.Exists(_directory) && System.IO.Directory.EnumerateFiles(_directory, FilePrefix + "*" + FileExtension).Any();
            }
            catch (Exception)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Appends <paramref name="writes"/> as JSON lines (flushed to the OS before returning) — to the memory lane while
    /// an overflow is open (see <see cref="OpenLanes"/>), else to this process's active file. Returns false, after
    /// counting them dropped and warning once, when the buffer is full or cannot be written.
    /// </summary>
    public bool TryAppend(IReadOnlyList<StoreWrite> writes)
    {
        if (writes.Count == 0)
        {
            return true;
        }
        var lines = new List<byte[]>(writes.Count);
        foreach (var write in writes)
        {
            lines.Add(SerializeLine(write));
        }
        lock (_appendLock)
        {
            return AppendLocked(lines, _memoryLane);
        }
    }

    /// <summary>A write as one JSON line (with its newline), ready for <see cref="TryAppendOverflow"/>.</summary>
    public static byte[] SerializeLine(StoreWrite write)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(write, SinkJsonContext.Default.StoreWrite);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>
    /// Appends a serialised line to the overflow lane (open lanes first). The line stays in the lane's file buffer
    /// (a memory copy, no system call per log call) until <see cref="FlushLanes"/> or the lane closes: the writer
    /// flushes every pass, so a crash loses at most what arrived since — as with writes queued in memory.
    /// </summary>
    public bool TryAppendOverflow(byte[] line)
    {
        lock (_appendLock)
        {
            var lane = _overflowLane ?? throw new InvalidOperationException("No overflow is open.");
            if (_approxBytes + line.Length > _maxBytes)
            {
                return AppendLocked([line], lane);
            }
            try
            {
                lane.Write(line);
                _approxBytes += line.Length;
                _ioWarned = false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return AppendLocked([line], lane);
            }
            _counters.AddBuffered(1);
            return true;
        }
    }

    /// <summary>Hands what the overflow lane holds in its file buffer to the operating system.</summary>
    public void FlushLanes()
    {
        lock (_appendLock)
        {
            try
            {
                _overflowLane?.Flush(flushToDisk: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next append reports the failure (and counts what it drops).
            }
        }
    }

    /// <summary>
    /// Opens two new files in order: the memory lane, for writes that were already queued in memory when the queue
    /// overflowed, and the overflow lane after it, for the writes that found the queue full. Replay takes a process's
    /// files in name order and stops at the first one still open, so the lanes replay in that order.
    /// </summary>
    public void OpenLanes()
    {
        lock (_appendLock)
        {
            CloseActiveLocked();
            _memoryLane = CreateFile();
            _overflowLane = CreateFile(bufferSize: 64 * 1024);
        }
    }

    /// <summary>Closes both lanes (replay may then finish and delete them); later appends go to a new active file.</summary>
    public void CloseLanes()
    {
        lock (_appendLock)
        {
            CloseQuietly(_memoryLane);
            CloseQuietly(_overflowLane);
            _memoryLane = null;
            _overflowLane = null;
        }
    }

    private bool AppendLocked(List<byte[]> lines, FileStream? target)
    {
        var payload = new MemoryStream();
        var total = lines.Sum(l => (long)l.Length);
        if (_approxBytes + total > _maxBytes)
        {
            // Re-measure once: other processes may have drained the folder since we last looked.
            _approxBytes = Inspect(_directory).TotalBytes;
        }
        // Keep what fits, in order; only the writes past the bound are lost.
        var appended = 0;
        foreach (var line in lines)
        {
            if (_approxBytes + payload.Length + line.Length > _maxBytes)
            {
                break;
            }
            payload.Write(line);
            appended++;
        }
        if (appended > 0)
        {
            try
            {
                var stream = target ?? ActiveStream();
                payload.Position = 0;
                payload.CopyTo(stream);
                stream.Flush(flushToDisk: false);
                _approxBytes += payload.Length;
                if (target is null && stream.Length > RollBytes)
                {
                    CloseActiveLocked();
                }
                _ioWarned = false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (target is null)
                {
                    CloseActiveLocked();
                }
                _counters.AddDropped(lines.Count);
                if (!_ioWarned)
                {
                    _ioWarned = true;
                    Warn($"AgentScript: cannot write the durable log buffer in {_directory}: {e.Message}. Log writes are being DROPPED; make the folder writable or set LOG_BUFFER_DIR.");
                }
                return false;
            }
        }
        if (appended < lines.Count)
        {
            _counters.AddDropped(lines.Count - appended);
            if (!_fullWarned)
            {
                _fullWarned = true;
                Warn($"AgentScript: the durable log buffer {_directory} is full ({_approxBytes / (1024 * 1024)} MB, limit LOG_MAX_BUFFER_SIZE_MB={_maxBytes / (1024 * 1024)}); log writes are being DROPPED. Make the store reachable (agentlog doctor) or raise LOG_MAX_BUFFER_SIZE_MB.");
            }
        }
        else
        {
            _fullWarned = false;
        }
        _counters.AddBuffered(appended);
        return appended == lines.Count;
    }

    private FileStream ActiveStream()
    {
        if (_active is not null)
        {
            return _active;
        }
        _active = CreateFile();
        return _active;
    }

    private FileStream CreateFile(int bufferSize = 4096)
    {
        EnsureDirectory(_directory);
        var path = Path.Combine(_directory, $"{FilePrefix}{ProcessTag}-{_instance:D3}-{++_sequence:D8}{FileExtension}");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            // Others may read (replay) while we append; nobody else may write or take it exclusively.
            Share = FileShare.Read,
            BufferSize = bufferSize,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }

    private static void CloseQuietly(FileStream? stream)
    {
        try
        {
            stream?.Dispose();
        }
        catch (Exception)
        {
            // Nothing more to save: the data was flushed after each append.
        }
    }

    /// <summary>Closes this process's active file so replay can finish and delete it.</summary>
    public void CloseActive()
    {
        lock (_appendLock)
        {
            CloseActiveLocked();
        }
    }

    private void CloseActiveLocked()
    {
        CloseQuietly(_active);
        _active = null;
    }

    /// <summary>
    /// Replays buffered writes in order through <paramref name="write"/>, which returns normally when the store
    /// took the batch (rejected writes are handled inside it) and throws when the store is unavailable.
    /// </summary>
    /// <returns>Writes replayed; <see cref="ReplayResult.Busy"/> when another process is replaying.</returns>
    public async Task<ReplayResult> ReplayAsync(Func<IReadOnlyList<StoreWrite>, Task> write, int batchSize, CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(_directory))
        {
            return new ReplayResult(0, Busy: false, Complete: true);
        }
        CloseActive();
        FileStream? replayLock;
        try
        {
            var lockOptions = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                lockOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            replayLock = new FileStream(Path.Combine(_directory, ReplayLockFileName), lockOptions);
        }
        catch (IOException)
        {
            return new ReplayResult(0, Busy: true, Complete: false);
        }
        catch (UnauthorizedAccessException)
        {
            return new ReplayResult(0, Busy: true, Complete: false);
        }
        using (replayLock)
        {
            var replayed = 0L;
            var files = System.IO.Directory.EnumerateFiles(_directory, FilePrefix + "*" + FileExtension)
                .Order(StringComparer.Ordinal)
                .ToList();
            // A process appends to its files in name order; a file it still has open may get more lines, so its
            // later files (an overflow lane behind a memory lane) must wait for the next pass.
            var live = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var writer = WriterOf(file);
                if (live.Contains(writer))
                {
                    continue;
                }
                var (count, deleted) = await ReplayFileAsync(file, write, batchSize, cancellationToken).ConfigureAwait(false);
                replayed += count;
                if (!deleted)
                {
                    live.Add(writer);
                }
            }
            _approxBytes = Inspect(_directory).TotalBytes;
            return new ReplayResult(replayed, Busy: false, Complete: !HasFiles);
        }
    }

    /// <summary>The writer part of a buffer file name (prefix, process tag, instance), without the sequence.</summary>
    private static string WriterOf(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        var dash = name.LastIndexOf('-');
        return dash > 0 ? name[..dash] : name;
    }

    /// <returns>Writes replayed, and whether the file was used up and deleted (nobody writes it any more).</returns>
    private async Task<(long Count, bool Deleted)> ReplayFileAsync(string file, Func<IReadOnlyList<StoreWrite>, Task> write, int batchSize, CancellationToken cancellationToken)
    {
        var bookmarkPath = file + BookmarkExtension;
        var offset = ReadBookmark(bookmarkPath);
        long replayed = 0;
        byte[]? tornTail;
        long consumedEnd;
        FileStream stream;
        try
        {
            stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return (0, true);
        }
        using (stream)
        {
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            offset = stream.Position;
            var batch = new List<StoreWrite>(batchSize);
            // Lines are found with a vectorised search and parsed straight from the read buffer (no copy per line);
            // a line longer than the buffer grows it.
            var data = new byte[1024 * 1024];
            var filled = 0;
            var start = 0;
            var dataPosition = offset; // file position of data[0]
            var batchEnd = offset;
            int read;
            while ((read = await stream.ReadAsync(data.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
                while (true)
                {
                    var lineEnd = TakeLines(data, ref start, filled, batch, batchSize, file);
                    if (lineEnd >= 0)
                    {
                        batchEnd = dataPosition + lineEnd;
                    }
                    if (batch.Count < batchSize)
                    {
                        break;
                    }
                    await write(batch).ConfigureAwait(false);
                    replayed += batch.Count;
                    batch.Clear();
                    WriteBookmark(bookmarkPath, batchEnd);
                }
                // Keep the incomplete tail at the front; grow when one line fills the whole buffer.
                var tail = filled - start;
                if (start > 0)
                {
                    Buffer.BlockCopy(data, start, data, 0, tail);
                    dataPosition += start;
                    start = 0;
                }
                else if (tail == data.Length)
                {
                    Array.Resize(ref data, data.Length * 2);
                }
                filled = tail;
            }
            if (batch.Count > 0)
            {
                await write(batch).ConfigureAwait(false);
                replayed += batch.Count;
                batch.Clear();
            }
            if (batchEnd != offset)
            {
                WriteBookmark(bookmarkPath, batchEnd);
            }
            var pending = data.AsSpan(start, filled - start);
            tornTail = pending.Length > 0 ? pending.ToArray() : null;
            consumedEnd = batchEnd;
        }
        // Everything complete is replayed (our reader is closed now, so it does not hold the file). Delete the file
        // when nobody is writing it any more; a file still being written by a live process (maybe this one) keeps its
        // bookmark and its later lines come in a later replay.
        return (replayed, TryDeleteIfIdle(file, bookmarkPath, tornTail, consumedEnd + (tornTail?.Length ?? 0)));
    }

    /// <param name="file">The buffer file.</param>
    /// <param name="bookmarkPath">Its bookmark.</param>
    /// <param name="tornTail">Bytes after the last newline when it was read.</param>
    /// <param name="readLength">The file length the replay saw: lines appended after that (the writer may append, then
    /// close the file, between our last read and this call) are not replayed yet, so the file must stay.</param>
    private bool TryDeleteIfIdle(string file, string bookmarkPath, byte[]? tornTail, long readLength)
    {
        FileStream exclusive;
        try
        {
            exclusive = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        using (exclusive)
        {
            if (exclusive.Length != readLength)
            {
                return false;
            }
            // A line without its newline in a file nobody writes was torn by a crash mid-append.
            if (tornTail is not null && exclusive.Length > 0)
            {
                DeadLetterRaw(tornTail, $"incomplete last line in {Path.GetFileName(file)} (the writing process stopped mid-write)");
            }
            try
            {
                File.Delete(file);
                File.Delete(bookmarkPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Parses the complete lines in <paramref name="data"/> from <paramref name="start"/> into <paramref name="batch"/>
    /// until it holds <paramref name="batchSize"/> writes or no complete line is left. Returns the offset just past the
    /// last line taken (unreadable lines are dead-lettered and count as taken), or -1 when none was.
    /// </summary>
    private int TakeLines(byte[] data, ref int start, int filled, List<StoreWrite> batch, int batchSize, string file)
    {
        var end = -1;
        while (batch.Count < batchSize)
        {
            var nl = data.AsSpan(start, filled - start).IndexOf((byte)'\n');
            if (nl < 0)
            {
                break;
            }
            var line = data.AsSpan(start, nl);
            start += nl + 1;
            end = start;
            if (line.IsEmpty)
            {
                continue;
            }
            var parsed = Parse(line, out var error);
            if (parsed is null)
            {
                DeadLetterRaw(line.ToArray(), $"unreadable buffer line in {Path.GetFileName(file)}: {error}");
            }
            else
            {
                batch.Add(parsed);
            }
        }
        return end;
    }

    private static StoreWrite? Parse(ReadOnlySpan<byte> line, out string? error)
    {
        try
        {
            error = null;
            var w = JsonSerializer.Deserialize(line, SinkJsonContext.Default.StoreWrite);
            if (w is null)
            {
                error = "null";
            }
            return w;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            error = e.Message;
            return null;
        }
    }

    private static long ReadBookmark(string path)
    {
        try
        {
            return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static void WriteBookmark(string path, long offset)
    {
        // Write-then-rename, so a crash leaves the old or the new bookmark, never half of one.
        var temp = path + ".tmp";
        WriteOwnerOnly(temp, Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));
        File.Move(temp, path, overwrite: true);
    }

    internal static void WriteOwnerOnly(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var fs = new FileStream(path, options);
        fs.Write(content);
    }

    /// <summary>Writes a refused write to the dead-letter file with the reason.</summary>
    public void DeadLetter(StoreWrite write, string reason)
    {
        byte[] json;
        try
        {
            json = JsonSerializer.SerializeToUtf8Bytes(write, SinkJsonContext.Default.StoreWrite);
        }
        catch (Exception e)
        {
            json = JsonSerializer.SerializeToUtf8Bytes($"<unserialisable write {write.WriteId}: {e.Message}>");
        }
        AppendDeadLetter(reason, json, isRaw: false);
    }

    private void DeadLetterRaw(byte[] line, string reason)
    {
        AppendDeadLetter(reason, line, isRaw: true);
    }

    private void AppendDeadLetter(string reason, byte[] content, bool isRaw)
    {
        lock (_deadLetterLock)
        {
            try
            {
                EnsureDirectory(_directory);
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    w.WriteString("time", DateTimeOffset.UtcNow);
                    w.WriteString("reason", ValueSanitizer.CleanText(reason));
                    if (isRaw)
                    {
                        w.WriteString("raw", ValueSanitizer.CleanText(Encoding.UTF8.GetString(content)));
                    }
                    else
                    {
                        w.WritePropertyName("write");
                        w.WriteRawValue(content, skipInputValidation: true);
                    }
                    w.WriteEndObject();
                }
                var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                using var fs = new FileStream(Path.Combine(_directory, DeadLetterFileName), options);
                fs.Write(buffer.WrittenSpan);
                fs.WriteByte((byte)'\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Warn($"AgentScript: cannot write the dead-letter file in {_directory}: {e.Message}. Rejected write: {reason}");
            }
        }
        _counters.AddDeadLettered(1);
    }

    internal static void EnsureDirectory(string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            return;
        }
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
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

    /// <summary>Backlog of a buffer folder: files and bytes not yet replayed (bookmarks taken into account).</summary>
    public static BufferBacklog Inspect(string directory)
    {
        var files = 0;
        long total = 0;
        long pending = 0;
        long deadLetter = 0;
        try
        {
            if (!System.IO.Directory.Exists(directory))
            {
                return new BufferBacklog(0, 0, 0, 0);
            }
            foreach (var file in System.IO.Directory.EnumerateFiles(directory, FilePrefix + "*" + FileExtension))
            {
                try
                {
                    var length = new FileInfo(file).Length;
                    var done = Math.Min(ReadBookmark(file + BookmarkExtension), length);
                    files++;
                    total += length;
                    pending += length - done;
                }
                catch (IOException)
                {
                    // Deleted while we looked: replayed.
                }
            }
            var dl = new FileInfo(Path.Combine(directory, DeadLetterFileName));
            deadLetter = dl.Exists ? dl.Length : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Report what we could see.
        }
        return new BufferBacklog(files, total, pending, deadLetter);
    }

    public void Dispose()
    {
        CloseLanes();
        CloseActive();
    }
}

/// <summary>Result of a replay pass.</summary>
internal readonly record struct ReplayResult(long Replayed, bool Busy, bool Complete);

/// <summary>What is waiting in a durable buffer folder.</summary>
/// <param name="Files">Buffer files present.</param>
/// <param name="TotalBytes">Their size on disk.</param>
/// <param name="PendingBytes">Bytes after the bookmarks (not yet replayed).</param>
/// <param name="DeadLetterBytes">Size of the dead-letter file.</param>
internal sealed record BufferBacklog(int Files, long TotalBytes, long PendingBytes, long DeadLetterBytes);
