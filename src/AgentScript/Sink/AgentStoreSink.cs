using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace AgentScript.Sink;

/// <summary>
/// The Serilog sink that stores events through a <see cref="StoreWritePipeline"/>. <see cref="Emit"/> maps the event
/// on the caller's thread (values may change later) and queues it; it never waits on the store.
/// </summary>
public sealed class AgentStoreSink : ILogEventSink, IDisposable, IAsyncDisposable
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
            var record = LogEventMapper.Map(logEvent, _pipeline.Options.PropertyLimits, _pipeline.Options.PayloadLimits);
            if (record.ExecutionId is { } id)
            {
                _pipeline.CountEvent(id, record.Level);
            }
            _pipeline.Enqueue(new Storage.AppendEvent(record));
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
