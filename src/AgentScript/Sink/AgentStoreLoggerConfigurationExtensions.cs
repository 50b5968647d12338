using AgentScript.Configuration;
using AgentScript.Sink;
using AgentScript.Storage;
using Serilog.Configuration;
using Serilog.Events;

namespace Serilog;

/// <summary><c>WriteTo.AgentStore(...)</c>: store events in the AgentScript log store.</summary>
public static class AgentStoreLoggerConfigurationExtensions
{
    /// <summary>
    /// Stores events in the store configured by <paramref name="options"/> (default: read from the environment and
    /// <c>.env</c>). The sink owns the store and drains into it when the logger is disposed.
    /// </summary>
    public static LoggerConfiguration AgentStore(
        this LoggerSinkConfiguration sinkConfiguration,
        AgentScriptOptions? options = null,
        LogEventLevel restrictedToMinimumLevel = LogEventLevel.Verbose)
    {
        ArgumentNullException.ThrowIfNull(sinkConfiguration);
        options ??= AgentScriptConfiguration.Load();
        var pipeline = StoreWritePipeline.Create(options);
        return sinkConfiguration.Sink(new AgentStoreSink(pipeline, ownsPipeline: true), restrictedToMinimumLevel);
    }

    /// <summary>Stores events in <paramref name="store"/> (not disposed by the sink) with the given pipeline settings.</summary>
    internal static LoggerConfiguration AgentStore(
        this LoggerSinkConfiguration sinkConfiguration,
        IAgentLogStore store,
        WritePipelineOptions pipelineOptions,
        LogEventLevel restrictedToMinimumLevel = LogEventLevel.Verbose)
    {
        ArgumentNullException.ThrowIfNull(sinkConfiguration);
        var pipeline = new StoreWritePipeline(store, pipelineOptions, ownsStore: false);
        return sinkConfiguration.Sink(new AgentStoreSink(pipeline, ownsPipeline: true), restrictedToMinimumLevel);
    }

    /// <summary>Stores events through an existing pipeline (shared with run records); the caller disposes it.</summary>
    internal static LoggerConfiguration AgentStore(
        this LoggerSinkConfiguration sinkConfiguration,
        StoreWritePipeline pipeline,
        LogEventLevel restrictedToMinimumLevel = LogEventLevel.Verbose)
    {
        ArgumentNullException.ThrowIfNull(sinkConfiguration);
        return sinkConfiguration.Sink(new AgentStoreSink(pipeline, ownsPipeline: false), restrictedToMinimumLevel);
    }

    /// <summary>
    /// Most elements Serilog captures from one collection property. Serilog's default is unlimited, so logging an
    /// infinite (or huge lazy) sequence would hang the caller and exhaust memory; the sink summarises long lists anyway.
    /// </summary>
    public const int MaxCapturedCollectionCount = 10_001;

    /// <summary>Caps what Serilog captures from one value (see <see cref="MaxCapturedCollectionCount"/>); used by every logger AgentScript builds.</summary>
    /// <param name="configuration">The logger configuration.</param>
    public static LoggerConfiguration WithSafeCapture(this LoggerConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Destructure.ToMaximumCollectionCount(MaxCapturedCollectionCount);
    }
}
