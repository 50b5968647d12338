// Job: the durable buffer as one object — file set, appender, replayer and dead-letter file over one folder.
using AgentScript.Sink.Durable;
using AgentScript.Storage;

namespace AgentScript.Sink;

/// <summary>
/// Append-only JSONL files of <see cref="StoreWrite"/> in the buffer folder, replayed in order with a bookmark per
/// file — at-least-once delivery, which the stores' idempotent inserts turn into exactly-once. The parts live in
/// <c>Sink/Durable</c>: <see cref="BufferFileSet"/> (naming, listing), <see cref="BufferAppender"/> (bound, lanes),
/// <see cref="BufferReplayer"/> (bookmarks, deletion), <see cref="DeadLetterFile"/>, <see cref="OwnerOnlyFile"/>.
/// </summary>
internal sealed class DurableBuffer : IDisposable
{
    public const string FilePrefix = BufferFileSet.FilePrefix;
    public const string FileExtension = BufferFileSet.FileExtension;
    public const string DeadLetterFileName = DeadLetterFile.FileName;

    private readonly BufferFileSet _files;
    private readonly BufferAppender _appender;
    private readonly BufferReplayer _replayer;
    private readonly DeadLetterFile _deadLetters;

    /// <summary>A buffer on the real file system with no essential writes (tests, tools).</summary>
    public DurableBuffer(string directory, long maxBytes, SinkCounters counters, TextWriter diagnostics)
        : this(directory, maxBytes, counters, new SinkDiagnostics(diagnostics), OwnerOnlyFile.Real, TimeProvider.System, NoLossPolicy.Instance)
    {
    }

    public DurableBuffer(string directory, long maxBytes, SinkCounters counters, SinkDiagnostics diagnostics, OwnerOnlyFile files, TimeProvider time, IWriteLossPolicy policy)
    {
        _files = new BufferFileSet(directory, files, time);
        _deadLetters = new DeadLetterFile(_files.Directory, files, counters, diagnostics, time);
        _appender = new BufferAppender(_files, maxBytes, counters, diagnostics, policy);
        _replayer = new BufferReplayer(_files, files, _deadLetters);
    }

    /// <summary>The buffer folder (full path).</summary>
    public string Directory => _files.Directory;

    /// <summary>True when buffer files exist (written by anyone) — replay is due.</summary>
    public bool HasFiles => _files.HasFiles;

    /// <inheritdoc cref="BufferAppender.SerializeLine"/>
    public static byte[] SerializeLine(StoreWrite write) => BufferAppender.SerializeLine(write);

    /// <inheritdoc cref="BufferAppender.TryAppend"/>
    public bool TryAppend(IReadOnlyList<StoreWrite> writes) => _appender.TryAppend(writes);

    /// <inheritdoc cref="BufferAppender.RentLine"/>
    public static BufferLine RentLine(StoreWrite write) => BufferAppender.RentLine(write);

    /// <inheritdoc cref="BufferAppender.TryAppendOverflow"/>
    public bool TryAppendOverflow(ReadOnlySpan<byte> line, StoreWrite write) => _appender.TryAppendOverflow(line, write);

    /// <summary>Serialises <paramref name="write"/> and appends it to the overflow lane.</summary>
    public bool TryAppendOverflow(StoreWrite write)
    {
        using var line = RentLine(write);
        return _appender.TryAppendOverflow(line.Span, write);
    }

    /// <inheritdoc cref="BufferAppender.FlushLanes"/>
    public void FlushLanes() => _appender.FlushLanes();

    /// <inheritdoc cref="BufferAppender.OpenLanes"/>
    public void OpenLanes() => _appender.OpenLanes();

    /// <inheritdoc cref="BufferAppender.CloseLanes"/>
    public void CloseLanes() => _appender.CloseLanes();

    /// <inheritdoc cref="BufferAppender.CloseActive"/>
    public void CloseActive() => _appender.CloseActive();

    /// <summary>
    /// Replays buffered writes in order through <paramref name="write"/>, which returns normally when the store took
    /// the batch (rejected writes are handled inside it) and throws when the store is unavailable.
    /// </summary>
    public async Task<ReplayResult> ReplayAsync(Func<IReadOnlyList<StoreWrite>, Task> write, int batchSize, CancellationToken cancellationToken)
    {
        _appender.CloseActive();
        var result = await _replayer.ReplayAsync(write, batchSize, cancellationToken).ConfigureAwait(false);
        if (!result.Busy)
        {
            _appender.Remeasure();
        }
        return result;
    }

    /// <summary>Writes a refused write to the dead-letter file with the reason.</summary>
    public void DeadLetter(StoreWrite write, string reason) => _deadLetters.Add(write, reason);

    /// <summary>Backlog of a buffer folder: files and bytes not yet replayed (bookmarks taken into account).</summary>
    public static BufferBacklog Inspect(string directory) => BufferBacklog.Inspect(directory);

    public void Dispose() => _appender.Dispose();
}
