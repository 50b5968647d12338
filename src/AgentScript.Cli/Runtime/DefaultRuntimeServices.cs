using AgentScript.Cli.Infrastructure;
using AgentScript.Configuration;
using AgentScript.Sink;
using AgentScript.Storage;

namespace AgentScript.Cli.Runtime;

/// <summary>
/// The runtime library's own pieces: <see cref="AgentScriptConfiguration"/>, the store factory, the durable buffer
/// inspection and <see cref="StoreWritePipeline"/> for replay — so the CLI sees exactly what scripts see.
/// </summary>
internal sealed class DefaultRuntimeServices : IRuntimeServices
{
    /// <summary>The shared instance.</summary>
    public static DefaultRuntimeServices Instance { get; } = new();

    /// <inheritdoc/>
    public AgentScriptOptions LoadOptions(IReadOnlyDictionary<string, string?> environment, string directory)
    {
        try
        {
            return AgentScriptConfiguration.Load(directory, environment);
        }
        catch (ConfigurationException e)
        {
            throw CliException.Usage(e.Message);
        }
    }

    /// <inheritdoc/>
    public IAgentLogStore OpenStore(AgentScriptOptions options) => AgentLogStores.Open(options);

    /// <inheritdoc/>
    public BufferStatus GetBufferStatus(AgentScriptOptions options)
    {
        var dir = options.BufferDirectory;
        var backlog = DurableBuffer.Inspect(dir);
        var status = SinkStatus.TryRead(dir);
        Dictionary<string, long>? counters = null;
        if (status is not null)
        {
            var c = status.Counters;
            counters = new Dictionary<string, long>(StringComparer.Ordinal)
            {
                ["received"] = c.Received,
                ["stored"] = c.Stored,
                ["buffered"] = c.Buffered,
                ["replayed"] = c.Replayed,
                ["dead_lettered"] = c.DeadLettered,
                ["dropped"] = c.Dropped,
                ["spilled"] = c.Spilled,
            };
        }
        return new BufferStatus(dir, Directory.Exists(dir), backlog.Files, backlog.TotalBytes, backlog.PendingBytes,
            backlog.DeadLetterBytes, counters, status?.UpdatedAt, status?.Pid, status?.LastError, status?.DroppedRuns);
    }

    /// <inheritdoc/>
    public async Task<FlushOutcome?> FlushAsync(AgentScriptOptions options, IAgentLogStore store, CancellationToken cancellationToken)
    {
        var before = DurableBuffer.Inspect(options.BufferDirectory);
        if (before.Files == 0)
        {
            return new FlushOutcome(0, 0, 0);
        }
        var pipeline = new StoreWritePipeline(store,
            WritePipelineOptions.From(options) with { Diagnostics = TextWriter.Null }, ownsStore: false);
        long replayed, deadLettered;
        try
        {
            // The pipeline replays the buffer when it starts; FlushAsync waits for that and retries once more.
            await pipeline.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await pipeline.DisposeAsync().ConfigureAwait(false);
            replayed = pipeline.Counters.Replayed;
            deadLettered = pipeline.Counters.DeadLettered;
        }
        var after = DurableBuffer.Inspect(options.BufferDirectory);
        return new FlushOutcome(replayed, after.PendingBytes, deadLettered);
    }
}
