using AgentScript.Configuration;
using AgentScript.Storage;

namespace AgentScript.Cli.Runtime;

/// <summary>
/// What the CLI needs from the runtime library beyond <see cref="IAgentLogStore"/>: the configuration loader, the
/// store factory and the sink's durable buffer. Behind an interface so the CLI stays testable and so the pieces
/// can be swapped for the runtime's own as they land.
/// </summary>
internal interface IRuntimeServices
{
    /// <summary>The configuration in effect for <paramref name="environment"/> (plus a <c>.env</c> file in <paramref name="directory"/>).</summary>
    /// <exception cref="Infrastructure.CliException">A setting has a bad value (exit 2).</exception>
    AgentScriptOptions LoadOptions(IReadOnlyDictionary<string, string?> environment, string directory);

    /// <summary>Opens (does not initialise) the configured store.</summary>
    IAgentLogStore OpenStore(AgentScriptOptions options);

    /// <summary>The durable buffer's backlog and the sink counters, as far as they can be read from outside the script.</summary>
    BufferStatus GetBufferStatus(AgentScriptOptions options);

    /// <summary>Replays the durable buffer into <paramref name="store"/>; null when this runtime cannot replay.</summary>
    Task<FlushOutcome?> FlushAsync(AgentScriptOptions options, IAgentLogStore store, CancellationToken cancellationToken);
}

/// <summary>The durable buffer as seen by <c>doctor</c>.</summary>
/// <param name="Directory">The buffer folder.</param>
/// <param name="Exists">Whether the folder exists.</param>
/// <param name="Files">Buffer files present.</param>
/// <param name="Bytes">Their size.</param>
/// <param name="PendingBytes">Bytes not yet replayed into the store.</param>
/// <param name="DeadLetterBytes">Size of the dead-letter file (writes the store refused for good).</param>
/// <param name="Counters">Sink counters of the last process that wrote there (received, stored, buffered, replayed, dead_lettered, dropped, spilled).</param>
/// <param name="CountersUpdatedAt">When those counters were written.</param>
/// <param name="CountersPid">The process that wrote them.</param>
/// <param name="LastError">The last store error that process saw.</param>
/// <param name="DroppedRuns">Runs that lost writes in that process (execution id → writes dropped).</param>
internal sealed record BufferStatus(
    string Directory, bool Exists, long Files, long Bytes, long PendingBytes, long DeadLetterBytes,
    IReadOnlyDictionary<string, long>? Counters, DateTimeOffset? CountersUpdatedAt = null, int? CountersPid = null, string? LastError = null,
    IReadOnlyDictionary<string, long>? DroppedRuns = null);

/// <summary>What a flush did.</summary>
/// <param name="Replayed">Writes replayed into the store.</param>
/// <param name="RemainingBytes">Bytes still waiting in the buffer.</param>
/// <param name="DeadLettered">Writes the store refused for good (moved to the dead-letter file).</param>
internal sealed record FlushOutcome(long Replayed, long RemainingBytes, long DeadLettered);
