#if HAS_SINK && HAS_SQLITE_STORE
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage;
using AgentScript.Storage.Sqlite;
using Serilog;
using Serilog.Context;

namespace AgentScript.Benchmarks.LogCall;

/// <summary>
/// A logger writing through <c>WriteTo.AgentStore(pipeline)</c> into a fresh SQLite store, with a run started and its
/// execution id pushed into the log context — the set-up the generated <c>Main</c> gives a script.
/// </summary>
public sealed class AgentScriptSinkFixture
{
    private readonly SqliteLogStore _store;
    private readonly StoreWritePipeline _pipeline;
    private readonly string _executionId;

    public AgentScriptSinkFixture(string dir, string executionId, TimeSpan? disposeTimeout = null)
    {
        _executionId = executionId;
        _store = new SqliteLogStore(Path.Combine(dir, "agentlog.db"));
        _store.InitializeAsync().GetAwaiter().GetResult();
        // Defaults a user gets (LOG_BATCH_SIZE 200, 2 s flush interval, 10,000-write queue), quiet diagnostics — except
        // the buffer bound: a tight loop of millions of events fills the default 1,000 MB, and the sink then drops
        // (counted), which is not the no-loss path this benchmark measures.
        _pipeline = new StoreWritePipeline(_store, new WritePipelineOptions
        {
            BufferDirectory = Path.Combine(dir, "buffer"),
            MaxBufferBytes = 8L * 1024 * 1024 * 1024,
            Diagnostics = TextWriter.Null,
            DisposeTimeout = disposeTimeout ?? TimeSpan.FromSeconds(30),
        });
        _pipeline.Enqueue(new RunStartWrite(new ScriptRun
        {
            ExecutionId = executionId, ScriptName = "bench", Mode = "working", Status = RunStatus.Running,
            StartTime = DateTimeOffset.UtcNow, Pid = Environment.ProcessId, Host = Environment.MachineName,
        }));
        Logger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.FromLogContext()
            .WriteTo.AgentStore(_pipeline)
            .CreateLogger();
        RunContext = LogContext.PushProperty(LogProperties.ExecutionId, executionId);
    }

    public Serilog.Core.Logger Logger { get; }
    public IDisposable RunContext { get; }
    public IAgentLogStore Store => _store;
    internal StoreWritePipeline Pipeline => _pipeline;

    /// <summary>Ends the run, drains the pipeline into the store and returns a one-line account of what happened.</summary>
    public string Finish()
    {
        Logger.Dispose();
        var (total, byLevel) = _pipeline.GetRunCounts(_executionId);
        _pipeline.Enqueue(new RunEndWrite(new RunEnd
        {
            ExecutionId = _executionId, Status = RunStatus.Success, EndTime = DateTimeOffset.UtcNow, DurationMs = 0,
            MessagesLogged = total, CountsByLevel = byLevel,
        }));
        _pipeline.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var c = _pipeline.Counters.Snapshot();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return $"agentscript: received {c.Received:N0}, stored {c.Stored:N0}, spilled to the durable buffer {c.Spilled:N0}, buffered {c.Buffered:N0}, replayed {c.Replayed:N0}, dropped {c.Dropped:N0}";
    }
}
#endif
