using AgentScript.Configuration;

namespace AgentScript.Sink;

/// <summary>Settings of the <see cref="StoreWritePipeline"/> (from <see cref="AgentScriptOptions"/> by default).</summary>
internal sealed record WritePipelineOptions
{
    /// <summary>Writes per store call (<c>LOG_BATCH_SIZE</c>).</summary>
    public int BatchSize { get; init; } = 200;
    /// <summary>Largest batch per store call when writes are waiting (a backlog in memory, or buffer replay).</summary>
    public int MaxBatchSize { get; init; } = 5_000;
    /// <summary>Longest time a write waits in memory (<c>LOG_FLUSH_INTERVAL</c>).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Durable buffer folder (<c>LOG_BUFFER_DIR</c>).</summary>
    public required string BufferDirectory { get; init; }
    /// <summary>Bound of the durable buffer in bytes (<c>LOG_MAX_BUFFER_SIZE_MB</c>).</summary>
    public long MaxBufferBytes { get; init; } = 1000L * 1024 * 1024;
    /// <summary><c>LOG_DURABILITY</c>.</summary>
    public Durability Durability { get; init; } = Durability.Batched;
    /// <summary>
    /// Writes held in memory before new ones spill to the durable buffer (memory stays bounded). Serilog.Sinks.Async's
    /// default: queued events outlive a gen0 collection, so a larger queue costs peak memory and GC time, and it is
    /// what <c>kill -9</c> can lose in batched durability.
    /// </summary>
    public int QueueCapacity { get; init; } = 10_000;
    /// <summary>A store call slower than this is abandoned and its batch buffered (the store is "slow").</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long <c>Dispose</c> waits for the queue to drain into the store or buffer.</summary>
    public TimeSpan DisposeTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>First retry delay after a store failure; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Longest retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Limits for event properties.</summary>
    public ValueLimits PropertyLimits { get; init; } = ValueLimits.Properties;
    /// <summary>Limits for final-response payloads.</summary>
    public ValueLimits PayloadLimits { get; init; } = ValueLimits.Payload;
    /// <summary>Where warnings go (buffer full, store down); default standard error.</summary>
    public TextWriter? Diagnostics { get; init; }
    /// <summary>The clock of batching, backoff and the status file; default <see cref="TimeProvider.System"/>.</summary>
    internal TimeProvider? TimeProvider { get; init; }
    /// <summary>Opens the buffer folder's files for writing; tests replace it to simulate a full disk.</summary>
    internal Durable.BufferFileSystem? FileSystem { get; init; }

    /// <summary>The pipeline settings of <paramref name="options"/>.</summary>
    public static WritePipelineOptions From(AgentScriptOptions options) => new()
    {
        BatchSize = options.BatchSize,
        FlushInterval = options.FlushInterval,
        BufferDirectory = options.BufferDirectory,
        MaxBufferBytes = options.MaxBufferSizeMb * 1024 * 1024,
        Durability = options.Durability,
        // Secret values of the environment, the .env file and the ArangoDB password: redacted wherever they appear.
        PropertyLimits = ValueLimits.Properties with { Secrets = Sanitizing.KnownSecrets.From(options) },
        PayloadLimits = ValueLimits.Payload with { Secrets = Sanitizing.KnownSecrets.From(options) },
    };
}
