using System.Text.Json;

namespace AgentScript.Sink;

/// <summary>
/// The pipeline's state as written to <c>status.json</c> in the buffer folder, so <c>agentlog doctor</c> can show
/// the backlog and the counters of the last process that wrote there. The file has a fixed size (JSON padded with
/// spaces) and is rewritten in place, so a full disk cannot leave it empty.
/// </summary>
internal sealed record SinkStatus
{
    /// <summary>The file name inside the buffer folder.</summary>
    public const string FileName = "status.json";

    /// <summary>When this status was written.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Process that wrote it.</summary>
    public required int Pid { get; init; }
    /// <summary>Store location (never a password).</summary>
    public string? Store { get; init; }
    /// <summary>The writer's counters.</summary>
    public required SinkCountersSnapshot Counters { get; init; }
    /// <summary>Buffer files waiting for replay.</summary>
    public int BacklogFiles { get; init; }
    /// <summary>Bytes of buffered writes not yet replayed.</summary>
    public long BacklogBytes { get; init; }
    /// <summary>Size of the dead-letter file.</summary>
    public long DeadLetterBytes { get; init; }
    /// <summary>The last store error seen, if any.</summary>
    public string? LastError { get; init; }
    /// <summary>When it was seen.</summary>
    public DateTimeOffset? LastErrorAt { get; init; }
    /// <summary>Runs that lost writes in that process (execution id → writes dropped); absent when none did.</summary>
    public IReadOnlyDictionary<string, long>? DroppedRuns { get; init; }

    /// <summary>
    /// The JSON that <see cref="TryRead"/> reads, written by hand: every script writes its status at exit, and the
    /// serializer's metadata for this record costs about 150 JIT compilations at start-up; these ten fields do not.
    /// </summary>
    internal byte[] ToUtf8Json()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString(nameof(UpdatedAt), UpdatedAt);
            w.WriteNumber(nameof(Pid), Pid);
            if (Store is not null)
            {
                w.WriteString(nameof(Store), Store);
            }
            w.WriteStartObject(nameof(Counters));
            w.WriteNumber(nameof(SinkCountersSnapshot.Received), Counters.Received);
            w.WriteNumber(nameof(SinkCountersSnapshot.Stored), Counters.Stored);
            w.WriteNumber(nameof(SinkCountersSnapshot.Buffered), Counters.Buffered);
            w.WriteNumber(nameof(SinkCountersSnapshot.Replayed), Counters.Replayed);
            w.WriteNumber(nameof(SinkCountersSnapshot.DeadLettered), Counters.DeadLettered);
            w.WriteNumber(nameof(SinkCountersSnapshot.Dropped), Counters.Dropped);
            w.WriteNumber(nameof(SinkCountersSnapshot.Spilled), Counters.Spilled);
            w.WriteEndObject();
            w.WriteNumber(nameof(BacklogFiles), BacklogFiles);
            w.WriteNumber(nameof(BacklogBytes), BacklogBytes);
            w.WriteNumber(nameof(DeadLetterBytes), DeadLetterBytes);
            if (LastError is not null)
            {
                w.WriteString(nameof(LastError), LastError);
            }
            if (LastErrorAt is { } at)
            {
                w.WriteString(nameof(LastErrorAt), at);
            }
            if (DroppedRuns is { Count: > 0 } runs)
            {
                w.WriteStartObject(nameof(DroppedRuns));
                foreach (var (id, n) in runs)
                {
                    w.WriteNumber(id, n);
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads <c>status.json</c> from <paramref name="bufferDirectory"/>; null when missing or unreadable.</summary>
    public static SinkStatus? TryRead(string bufferDirectory)
    {
        try
        {
            var path = Path.Combine(bufferDirectory, FileName);
            if (!File.Exists(path))
            {
                return null;
            }
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), SinkJsonContext.Default.SinkStatus);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
