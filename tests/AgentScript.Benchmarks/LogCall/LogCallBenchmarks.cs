using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Context;
using Serilog.Formatting.Compact;
using Serilog.Sinks.Async;
using ZLogger;
using MelILogger = Microsoft.Extensions.Logging.ILogger;

namespace AgentScript.Benchmarks.LogCall;

/// <summary>
/// One structured call with three properties, inside a run (an execution id in the log context or scope),
/// through each logging stack. Each benchmark has its own set-up so stacks do not share threads or files.
/// </summary>
[MemoryDiagnoser]
public partial class LogCallBenchmarks
{
    private const string Template = "Tool {ToolName} finished step {Step} in {ElapsedMs} ms";
    private const string ToolName = "web_search";
    private const int Step = 42;
    private const double ElapsedMs = 12.5;

    private string _dir = "";
    private Serilog.Core.Logger? _serilog;
    private IDisposable? _context;
    private ILoggerFactory? _melFactory;
    private MelILogger? _mel;
    private IDisposable? _scope;
    private AsyncMonitor? _monitor;
#if HAS_SINK && HAS_SQLITE_STORE
    private AgentScriptSinkFixture? _agent;
#endif

    /// <summary>Where each set-up leaves facts for the section to print (drops, verification).</summary>
    public static string NotesFile => Path.Combine(Infrastructure.RepoPaths.Results, "logcall-notes.txt");

    private static string ExecutionId => "bench_20260101_000000_0a1b2c3d";

    private void NewDir(string name)
    {
        _dir = Infrastructure.RunContext.NewTempDir("logcall-" + name);
    }

    // ---- Serilog, no sink -------------------------------------------------------------------------------
    [GlobalSetup(Target = nameof(SerilogNoSink))]
    public void SetupSerilogNoSink()
    {
        _serilog = new LoggerConfiguration().MinimumLevel.Information().Enrich.FromLogContext().CreateLogger();
        _context = LogContext.PushProperty(AgentScript.Model.LogProperties.ExecutionId, ExecutionId);
    }

    [Benchmark(Description = "Serilog, no sink")]
    public void SerilogNoSink() => _serilog!.Information(Template, ToolName, Step, ElapsedMs);

    // ---- Serilog + WriteTo.Async(File, CompactJsonFormatter) -----------------------------------------------
    [GlobalSetup(Target = nameof(SerilogAsyncFile))]
    public void SetupSerilogAsyncFile()
    {
        NewDir("serilog");
        _monitor = new AsyncMonitor();
        _serilog = SerilogAsyncFileLogger(_dir, _monitor);
        _context = LogContext.PushProperty(AgentScript.Model.LogProperties.ExecutionId, ExecutionId);
    }

    /// <summary>The baseline stack: Serilog's async wrapper (default bounded queue, dropping when full) over a compact-JSON file.</summary>
    internal static Serilog.Core.Logger SerilogAsyncFileLogger(string dir, AsyncMonitor monitor) => BaselineLoggers.AsyncFile(dir, monitor, blockWhenFull: false);

    [Benchmark(Baseline = true, Description = "Serilog + Async(File, compact JSON)")]
    public void SerilogAsyncFile() => _serilog!.Information(Template, ToolName, Step, ElapsedMs);

    // ---- The same, blocking when its queue is full: the no-loss Serilog baseline ------------------------------
    [GlobalSetup(Target = nameof(SerilogAsyncFileBlocking))]
    public void SetupSerilogAsyncFileBlocking()
    {
        NewDir("serilog-blocking");
        _monitor = new AsyncMonitor { BlockWhenFull = true };
        _serilog = BaselineLoggers.AsyncFile(_dir, _monitor, blockWhenFull: true);
        _context = LogContext.PushProperty("ExecutionId", ExecutionId);
    }

    [Benchmark(Description = "Serilog + Async(File, blockWhenFull: true)")]
    public void SerilogAsyncFileBlocking() => _serilog!.Information(Template, ToolName, Step, ElapsedMs);

    // ---- Serilog's built-in batching sink (IBatchedLogEventSink) over the same file ------------------------------
    [GlobalSetup(Target = nameof(SerilogBatchedFile))]
    public void SetupSerilogBatchedFile()
    {
        NewDir("serilog-batched");
        (_serilog, _) = BaselineLoggers.BatchedFile(_dir);
        _context = LogContext.PushProperty("ExecutionId", ExecutionId);
    }

    [Benchmark(Description = "Serilog batching sink (File, unbounded queue)")]
    public void SerilogBatchedFile() => _serilog!.Information(Template, ToolName, Step, ElapsedMs);

    // ---- ZLogger (interpolated string API) to a JSON file --------------------------------------------------
    [GlobalSetup(Target = nameof(ZLoggerFile))]
    public void SetupZLogger() => SetupMel("zlogger");

    [Benchmark(Description = "ZLogger (ZLogInformation, JSON file)")]
    public void ZLoggerFile() => _mel!.ZLogInformation($"Tool {ToolName} finished step {Step} in {ElapsedMs} ms");

    // ---- Microsoft.Extensions.Logging [LoggerMessage] to the same provider ----------------------------------
    [GlobalSetup(Target = nameof(MelLoggerMessage))]
    public void SetupMelLoggerMessage() => SetupMel("mel");

    [Benchmark(Description = "MEL [LoggerMessage] (ZLogger JSON file provider)")]
    public void MelLoggerMessage() => ToolFinished(_mel!, ToolName, Step, ElapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = Template)]
    private static partial void ToolFinished(MelILogger logger, string toolName, int step, double elapsedMs);

    private void SetupMel(string name)
    {
        NewDir(name);
        var path = Path.Combine(_dir, "log.json");
        _melFactory = LoggerFactory.Create(b =>
        {
            b.ClearProviders();
            b.SetMinimumLevel(LogLevel.Information);
            b.AddZLoggerFile(path, o =>
            {
                o.IncludeScopes = true;
                o.UseJsonFormatter();
            });
        });
        _mel = _melFactory.CreateLogger("Bench");
        _scope = _mel.BeginScope(new Dictionary<string, object> { ["ExecutionId"] = ExecutionId });
    }

#if HAS_SINK && HAS_SQLITE_STORE
    // ---- AgentScript sink (SQLite store) ---------------------------------------------------------------
    [GlobalSetup(Target = nameof(AgentScriptSink))]
    public void SetupAgentScript()
    {
        NewDir("agentscript");
        _agent = new AgentScriptSinkFixture(_dir, ExecutionId, TimeSpan.FromSeconds(20));
        _serilog = _agent.Logger;
        _context = _agent.RunContext;
    }

    [Benchmark(Description = "AgentScript sink (SQLite store)")]
    public void AgentScriptSink() => _serilog!.Information(Template, ToolName, Step, ElapsedMs);

    // ---- Profile: the part of the AgentScript call that maps the event on the caller's thread --------------
    private Serilog.Events.LogEvent? _captured;

    [GlobalSetup(Target = nameof(AgentScriptMapOnly))]
    public void SetupMapOnly()
    {
        var sink = new CaptureSink();
        using (var logger = new LoggerConfiguration().MinimumLevel.Information().Enrich.FromLogContext().WriteTo.Sink(sink).CreateLogger())
        using (LogContext.PushProperty(AgentScript.Model.LogProperties.ExecutionId, ExecutionId))
        {
            logger.Information(Template, ToolName, Step, ElapsedMs);
        }
        _captured = sink.Last;
    }

    [Benchmark(Description = "profile: AgentScript LogEventMapper.Map alone")]
    public object AgentScriptMapOnly() => AgentScript.Sink.LogEventMapper.Map(_captured!, AgentScript.Sink.ValueLimits.Properties, AgentScript.Sink.ValueLimits.Payload);

    private sealed class CaptureSink : Serilog.Core.ILogEventSink
    {
        public Serilog.Events.LogEvent? Last { get; private set; }
        public void Emit(Serilog.Events.LogEvent logEvent) => Last = logEvent;
    }
#endif

    [GlobalCleanup]
    public void Cleanup()
    {
        _scope?.Dispose();
        _context?.Dispose();
        var note = "";
        if (_monitor is not null)
        {
            note = $"serilog-async: dropped {_monitor.Dropped:N0} events (bounded queue {_monitor.Capacity:N0}, blockWhenFull={_monitor.BlockWhenFull.ToString().ToLowerInvariant()})";
        }
#if HAS_SINK && HAS_SQLITE_STORE
        if (_agent is not null)
        {
            note = _agent.Finish();
            _agent = null;
            _serilog = null;
        }
#endif
        _serilog?.Dispose();
        _melFactory?.Dispose();
        if (note.Length > 0)
        {
            Directory.CreateDirectory(Infrastructure.RepoPaths.Results);
            File.AppendAllText(NotesFile, note + Environment.NewLine);
        }
        if (_dir.Length > 0)
        {
            Infrastructure.RunContext.TryDelete(_dir);
        }
        _serilog = null; _context = null; _scope = null; _melFactory = null; _mel = null; _monitor = null; _dir = "";
    }

    /// <summary>Reads the Async sink's drop counter (Serilog.Sinks.Async's monitoring hook).</summary>
    internal sealed class AsyncMonitor : IAsyncLogEventSinkMonitor
    {
        private IAsyncLogEventSinkInspector? _inspector;
        public long Dropped => _inspector?.DroppedMessagesCount ?? 0;
        public int Capacity => _inspector?.BufferSize ?? 0;
        public int Count => _inspector?.Count ?? 0;
        public bool BlockWhenFull { get; init; }
        public void StartMonitoring(IAsyncLogEventSinkInspector inspector) => _inspector = inspector;
        public void StopMonitoring(IAsyncLogEventSinkInspector inspector) { }
    }
}
