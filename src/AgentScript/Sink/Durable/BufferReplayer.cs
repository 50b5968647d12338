// Job: read buffer files back in order from their bookmarks, hand them to the store in batches, delete used-up files.
using System.Text.Json;
using AgentScript.Storage;

namespace AgentScript.Sink.Durable;

/// <summary>Result of a replay pass.</summary>
internal readonly record struct ReplayResult(long Replayed, bool Busy, bool Complete);

/// <summary>
/// Replays the folder's buffer files (every writer's) through a write callback that returns when the store took a
/// batch and throws when it is unavailable. One process replays at a time (<c>replay.lock</c>). A file is deleted
/// only when fully replayed and an exclusive open succeeds (nobody writes it any more).
/// </summary>
internal sealed class BufferReplayer(BufferFileSet files, OwnerOnlyFile ownerOnly, DeadLetterFile deadLetters)
{
    private const int ReadBufferBytes = 1024 * 1024;

    // The read buffer is kept from file to file and pass to pass (only the holder of replay.lock uses it): a fresh
    // megabyte each time lands on the large object heap and stays there as garbage until a full collection.
    private byte[]? _readBuffer;

    /// <summary>Replays what is in the folder now.</summary>
    /// <returns>Writes replayed; <see cref="ReplayResult.Busy"/> when another process is replaying.</returns>
    public async Task<ReplayResult> ReplayAsync(Func<IReadOnlyList<StoreWrite>, Task> write, int batchSize, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(files.Directory))
        {
            return new ReplayResult(0, Busy: false, Complete: true);
        }
        Stream replayLock;
        try
        {
            replayLock = ownerOnly.Open(Path.Combine(files.Directory, BufferFileSet.ReplayLockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ReplayResult(0, Busy: true, Complete: false);
        }
        using (replayLock)
        {
            var replayed = 0L;
            // A writer appends to its files in name order; a file it still has open may get more lines, so its later
            // files (an overflow lane behind a memory lane) must wait for the next pass.
            var live = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files.ListInOrder())
            {
                var writer = BufferFileSet.WriterOf(file);
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
            return new ReplayResult(replayed, Busy: false, Complete: !files.HasFiles);
        }
    }

    /// <returns>Writes replayed, and whether the file was used up and deleted.</returns>
    private async Task<(long Count, bool Deleted)> ReplayFileAsync(string file, Func<IReadOnlyList<StoreWrite>, Task> write, int batchSize, CancellationToken cancellationToken)
    {
        var bookmarkPath = Bookmark.PathOf(file);
        var offset = Bookmark.Read(bookmarkPath);
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
            var data = _readBuffer ?? new byte[ReadBufferBytes];
            _readBuffer = null;
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
                    TryWriteBookmark(bookmarkPath, batchEnd);
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
                TryWriteBookmark(bookmarkPath, batchEnd);
            }
            var pending = data.AsSpan(start, filled - start);
            tornTail = pending.Length > 0 ? pending.ToArray() : null;
            consumedEnd = batchEnd;
            // A buffer grown for a huge line is not kept.
            _readBuffer = data.Length == ReadBufferBytes ? data : null;
        }
        // Everything complete is replayed (our reader is closed now). Delete the file when nobody writes it any more;
        // a file still being written by a live process keeps its bookmark and its later lines come in a later pass.
        return (replayed, TryDeleteIfIdle(file, bookmarkPath, tornTail, consumedEnd + (tornTail?.Length ?? 0)));
    }

    /// <summary>
    /// Records the position. A full disk may refuse the bookmark: replay goes on (the file is deleted when used up,
    /// which frees space), and at worst a later pass sends the batch again — the stores' inserts are idempotent.
    /// </summary>
    private void TryWriteBookmark(string bookmarkPath, long offset)
    {
        try
        {
            Bookmark.Write(ownerOnly, bookmarkPath, offset);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // See above.
        }
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
                deadLetters.AddRaw(tornTail, $"incomplete last line in {Path.GetFileName(file)} (the writing process stopped mid-write)");
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
                deadLetters.AddRaw(line.ToArray(), $"unreadable buffer line in {Path.GetFileName(file)}: {error}");
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
            if (EventLineReader.TryRead(line, out var append))
            {
                return append;
            }
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
}
