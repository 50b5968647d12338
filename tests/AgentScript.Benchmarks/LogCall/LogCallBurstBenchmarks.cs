using BenchmarkDotNet.Attributes;
using Serilog.Context;

namespace AgentScript.Benchmarks.LogCall;

/// <summary>
/// The same call as <see cref="LogCallBenchmarks"/>, but in bursts of <see cref="Burst"/> calls that start with an
/// empty queue: after each measured burst the sink is drained outside the measurement. This is the log call an
/// agent script makes (hundreds of events, not millions in a tight loop): it pays for the enqueue only. The tight
/// loop of <see cref="LogCallBenchmarks"/> instead saturates every background writer, where Serilog's async sink
/// drops events and AgentScript's spills them to its durable buffer.
/// </summary>
[MemoryDiagnoser]
public class LogCallBurstBenchmarks
{
    /// <summary>Calls per measured burst (fits both queues: Serilog.Sinks.Async 10,000, AgentScript 20,000).</summary>
    public const int Burst = 1_000;

    private const string Template = "Tool {ToolName} finished step {Step} in {ElapsedMs} ms";
    private const string ToolName = "web_search";
    private const int Step = 42;
    private const double ElapsedMs = 12.5;
    private static string ExecutionId => "bench_20260101_000000_0a1b2c3d";

    /// <summary>Bytes the measuring (calling) thread allocated per call, by benchmark: BenchmarkDotNet's bytes/op count
    /// every thread, so they include the background writers' work (formatting, mapping) done during the burst.</summary>
    public static readonly Dictionary<string, double> CallerBytesPerCall = [];
    private long _callerBytes;
    private long _calls;

    private string _dir = "";
    private Serilog.Core.Logger? _serilog;
    private IDisposable? _context;
    private LogCallBenchmarks.AsyncMonitor? _monitor;
#if HAS_SINK && HAS_SQLITE_STORE
    private AgentScriptSinkFixture? _agent;
#endif

    // ---- Serilog + WriteTo.Async(File, CompactJsonFormatter) -----------------------------------------------
    [GlobalSetup(Target = nameof(SerilogAsyncFile))]
    public void SetupSerilogAsyncFile()
    {
        _dir = Infrastructure.RunContext.NewTempDir("logburst-serilog");
        _monitor = new LogCallBenchmarks.AsyncMonitor();
        _serilog = LogCallBenchmarks.SerilogAsyncFileLogger(_dir, _monitor);
        _context = LogContext.PushProperty(AgentScript.Model.LogProperties.ExecutionId, ExecutionId);
    }

    [IterationCleanup(Target = nameof(SerilogAsyncFile))]
    public void DrainSerilog()
    {
        // The async sink has no flush: wait until its queue is empty (its writer has taken every event).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_monitor!.Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Burst, Description = "burst: Serilog + Async(File, compact JSON)")]
    public void SerilogAsyncFile()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Burst; i++)
        {
            _serilog!.Information(Template, ToolName, Step, ElapsedMs);
        }
        _callerBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        _calls += Burst;
    }

    // ---- Serilog's built-in batching sink over the same file --------------------------------------------------
    private BaselineLoggers.CompactJsonBatchedFile? _batched;
    private long _batchedExpected;

    [GlobalSetup(Target = nameof(SerilogBatchedFile))]
    public void SetupSerilogBatchedFile()
    {
        _dir = Infrastructure.RunContext.NewTempDir("logburst-serilog-batched");
        (_serilog, _batched) = BaselineLoggers.BatchedFile(_dir);
        _context = LogContext.PushProperty("ExecutionId", ExecutionId);
    }

    [IterationCleanup(Target = nameof(SerilogBatchedFile))]
    public void DrainBatched()
    {
        // The batching sink has no flush: wait until its file has every event of the burst.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_batched!.Written < _batchedExpected && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }
    }

    [Benchmark(OperationsPerInvoke = Burst, Description = "burst: Serilog batching sink (File)")]
    public void SerilogBatchedFile()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Burst; i++)
        {
            _serilog!.Information(Template, ToolName, Step, ElapsedMs);
        }
        _callerBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        _calls += Burst;
        _batchedExpected += Burst;
    }

#if HAS_SINK && HAS_SQLITE_STORE
    // ---- AgentScript sink (SQLite store) ---------------------------------------------------------------
    [GlobalSetup(Target = nameof(AgentScriptSink))]
    public void SetupAgentScript()
    {
        _dir = Infrastructure.RunContext.NewTempDir("logburst-agentscript");
        _agent = new AgentScriptSinkFixture(_dir, ExecutionId, TimeSpan.FromSeconds(20));
        _serilog = _agent.Logger;
        _context = _agent.RunContext;
    }

    [IterationCleanup(Target = nameof(AgentScriptSink))]
    public void DrainAgentScript() => _agent!.Pipeline.FlushAsync().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Burst, Description = "burst: AgentScript sink (SQLite store)")]
    public void AgentScriptSink()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Burst; i++)
        {
            _serilog!.Information(Template, ToolName, Step, ElapsedMs);
        }
        _callerBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        _calls += Burst;
    }
#endif

    [GlobalCleanup]
    public void Cleanup()
    {
        _context?.Dispose();
        var note = "";
        var callerBytes = _calls > 0 ? (double)_callerBytes / _calls : 0;
        if (_monitor is not null)
        {
            CallerBytesPerCall[nameof(SerilogAsyncFile)] = callerBytes;
            note = $"burst serilog-async: dropped {_monitor.Dropped:N0} events; calling thread allocated {callerBytes:0} B per call";
        }
        if (_batched is not null)
        {
            CallerBytesPerCall[nameof(SerilogBatchedFile)] = callerBytes;
            note = $"burst serilog-batching: {_batched.Written:N0} of {_batchedExpected:N0} events written; calling thread allocated {callerBytes:0} B per call";
        }
#if HAS_SINK && HAS_SQLITE_STORE
        if (_agent is not null)
        {
            CallerBytesPerCall[nameof(AgentScriptSink)] = callerBytes;
            note = $"burst (calling thread allocated {callerBytes:0} B per call) " + _agent.Finish();
            _agent = null;
            _serilog = null;
        }
#endif
        _serilog?.Dispose();
        _batched?.Dispose();
        if (note.Length > 0)
        {
            Directory.CreateDirectory(Infrastructure.RepoPaths.Results);
            File.AppendAllText(LogCallBenchmarks.NotesFile, note + Environment.NewLine);
        }
        if (_dir.Length > 0)
        {
            Infrastructure.RunContext.TryDelete(_dir);
        }
        _serilog = null; _context = null; _monitor = null; _dir = ""; _callerBytes = 0; _calls = 0; _batched = null; _batchedExpected = 0;
    }
}
