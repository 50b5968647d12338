#if HAS_SINK
using AgentScript.Model;
using AgentScript.Sink;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Serilog;
using Serilog.Context;
using Serilog.Events;

namespace AgentScript.Benchmarks.LogCall;

/// <summary>
/// Focused probe of the event mapping the sink's background writer does for every event
/// (<see cref="LogEventMapper.Map"/>): the log-call event of <see cref="LogCallBenchmarks"/>, an event as a script
/// host logs it (run, span and category properties) and one with a destructured object; plus the id alone, to
/// show its share. Run: <c>dotnet run -c Release --project tests/AgentScript.Benchmarks -- map-probe [--quick]</c>
/// (prints a table; does not touch docs/benchmarks.md).
/// </summary>
[MemoryDiagnoser]
public class MapperBenchmarks
{
    private const string Template = "Tool {ToolName} finished step {Step} in {ElapsedMs} ms";

    private LogEvent _logCall = null!;
    private LogEvent _scriptEvent = null!;
    private LogEvent _structured = null!;

    [GlobalSetup]
    public void Setup()
    {
        var sink = new CaptureSink();
        using var logger = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.Sink(sink).CreateLogger();
        using (LogContext.PushProperty(LogProperties.ExecutionId, "bench_20260101_000000_0a1b2c3d"))
        {
            logger.Information(Template, "web_search", 42, 12.5);
            _logCall = sink.Last!;
            using (LogContext.PushProperty(LogProperties.ScriptName, "bench"))
            using (LogContext.PushProperty(LogProperties.Mode, "working"))
            using (LogContext.PushProperty(LogProperties.SpanId, "0123456789abcdef"))
            using (LogContext.PushProperty(LogProperties.FunctionName, "Search"))
            {
                logger.ForContext(LogProperties.Category, LogCategories.Progress)
                    .Information("Fetched {Url} ({Bytes} bytes, ok={Ok}) at {At} for {RequestId}",
                        "https://example.org/a?q=1", 123_456L, true, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Guid.Parse("0a1b2c3d-0000-4000-8000-000000000001"));
                _scriptEvent = sink.Last!;
                logger.Information("Calling {@Request}", new { Url = "https://example.org/api", Method = "POST", Retries = 3, Headers = new Dictionary<string, string> { ["Accept"] = "application/json", ["Authorization"] = "Bearer x" }, Password = "hunter2" });
                _structured = sink.Last!;
            }
        }
    }

    [Benchmark(Baseline = true, Description = "Map: log-call event (3 scalars + execution id)")]
    public LogEventRecord MapLogCall() => LogEventMapper.Map(_logCall);

    [Benchmark(Description = "Map: script event (5 scalars + run/span/category columns)")]
    public LogEventRecord MapScriptEvent() => LogEventMapper.Map(_scriptEvent);

    [Benchmark(Description = "Map: destructured object with nested dictionary and a secret")]
    public LogEventRecord MapStructured() => LogEventMapper.Map(_structured);

    [Benchmark(Description = "EventIds.New() alone (part of every Map)")]
    public string NewEventId() => EventIds.New();

    private sealed class CaptureSink : Serilog.Core.ILogEventSink
    {
        public LogEvent? Last { get; private set; }
        public void Emit(LogEvent logEvent) => Last = logEvent;
    }

    /// <summary>Runs the probe in-process and prints BenchmarkDotNet's table.</summary>
    public static int Run(bool quick)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 1 : 3)
            .WithIterationCount(quick ? 5 : 15)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(quick ? 150 : 400));
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(Infrastructure.RepoPaths.Root, "artifacts", "BenchmarkDotNet.Artifacts"))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var summary = BenchmarkRunner.Run<MapperBenchmarks>(config);
        return summary.HasCriticalValidationErrors ? 1 : 0;
    }
}
#endif
