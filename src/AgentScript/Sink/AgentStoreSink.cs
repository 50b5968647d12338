using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace AgentScript.Sink;

/// <summary>
/// The Serilog sink that stores events through a <see cref="StoreWritePipeline"/>. <see cref="Emit"/> counts the
/// event for its run and queues it as it is; the background writer maps and stores it. It never waits on the store.
/// </summary>
internal sealed class AgentStoreSink : ILogEventSink, IDisposable, IAsyncDisposable
{
    private readonly StoreWritePipeline _pipeline;
    private readonly bool _ownsPipeline;

    /// <summary>Creates the sink.</summary>
    /// <param name="pipeline">Where the events go.</param>
    /// <param name="ownsPipeline">Dispose (drain) the pipeline when the sink is disposed.</param>
    public AgentStoreSink(StoreWritePipeline pipeline, bool ownsPipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        _pipeline = pipeline;
        _ownsPipeline = ownsPipeline;
    }

    /// <summary>The pipeline behind the sink (counters, flush).</summary>
    public StoreWritePipeline Pipeline => _pipeline;

    /// <inheritdoc/>
    public void Emit(LogEvent logEvent)
    {
        try
        {
            // Counted here, not on the writer: the run's end record reads the counts as soon as the entry returns.
            if (logEvent.Properties.TryGetValue(Model.LogProperties.ExecutionId, out var id) && id is ScalarValue { Value: { } value })
            {
                _pipeline.CountEvent(value as string ?? value.ToString() ?? "", logEvent.Level);
            }
            _pipeline.Enqueue(logEvent, Environment.CurrentManagedThreadId);
        }
        catch (Exception e)
        {
            _pipeline.Counters.AddDropped(1);
            SelfLog.WriteLine("AgentStoreSink could not queue an event: {0}", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsPipeline)
        {
            _pipeline.Dispose();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _ownsPipeline ? _pipeline.DisposeAsync() : ValueTask.CompletedTask;
}
