using System.Text.Json;

namespace AgentScript.Sink;

/// <summary>
/// The pipeline's state as written to <c>status.json</c> in the buffer folder, so <c>agentlog doctor</c> can show
/// the backlog and the counters of the last process that wrote there.
/// </summary>
public sealed record SinkStatus
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
