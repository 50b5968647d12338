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

    [Benchmark(Description = "probe: Guid.NewGuid() (one OS random call per id)")]
    public Guid NewGuid() => Guid.NewGuid();

    [Benchmark(Description = "probe: version-7 id text from a buffered random source")]
    public string BufferedV7Id() => BufferedIds.New();

    /// <summary>
    /// A sketch of what <see cref="EventIds"/> could do (the store owns it): the same version-7 layout and text, but
    /// the random bits come from a per-thread buffer refilled from the OS 4 KB at a time, not one OS call per id.
    /// </summary>
    private static class BufferedIds
    {
        [ThreadStatic] private static byte[]? t_random;
        [ThreadStatic] private static int t_used;

        public static string New()
        {
            var random = t_random ??= new byte[4096];
            if (t_used == 0 || t_used + 10 > random.Length)
            {
                System.Security.Cryptography.RandomNumberGenerator.Fill(random);
                t_used = 0;
            }
            Span<byte> bytes = stackalloc byte[16];
            var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, ms << 16);
            random.AsSpan(t_used, 10).CopyTo(bytes[6..]);
            t_used += 10;
            bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return Convert.ToHexStringLower(bytes);
        }
    }

    private sealed class CaptureSink : Serilog.Core.ILogEventSink
    {
        public LogEvent? Last { get; private set; }
        public void Emit(LogEvent logEvent) => Last = logEvent;
    }

    /// <summary>
    /// Thread CPU time per call (not wall time), best of several rounds, and bytes allocated per call: on a shared
    /// machine with a load of 20 on 2 cores, wall-clock means mostly measure the other processes.
    /// </summary>
    public static void RunCpu(int iterations)
    {
        var b = new MapperBenchmarks();
        b.Setup();
        var extra = b._logCall.Properties.Where(p => p.Key != LogProperties.ExecutionId).ToList();
        var enricher = new SecretRedactionEnricher();
        var scratch = new System.Buffers.ArrayBufferWriter<byte>(1024);
        var writer = new System.Text.Json.Utf8JsonWriter(scratch, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var cases = new (string Name, Func<object> Call)[]
        {
            ("Map: log-call event", b.MapLogCall),
            ("Map: script event", b.MapScriptEvent),
            ("Map: destructured object", b.MapStructured),
            ("EventIds.New()", b.NewEventId),
            ("Guid.NewGuid()", () => b.NewGuid()),
            ("buffered v7 id (sketch)", b.BufferedV7Id),
            // Parts of the log-call mapping, through public APIs, to locate the cost.
            ("part: PropertiesToJson (3 scalars)", () => ValueSanitizer.PropertiesToJson(extra)!),
            ("part: Serilog RenderMessage", () => b._logCall.RenderMessage()),
            ("part: TruncateString (short)", () => ValueSanitizer.TruncateString("web_search")),
            ("part: IsSecretKey", () => ValueSanitizer.IsSecretKey("ElapsedMs")),
            ("floor: bare Utf8JsonWriter, same 3 values", () => BareJson(scratch, writer)),
            // Runs on the caller's thread in scripts (ScriptHost adds it): must not allocate when nothing is secret.
            ("caller: SecretRedactionEnricher.Enrich (3 scalars)", () => { enricher.Enrich(b._logCall, null!); return enricher; }),
        };
        Console.WriteLine($"| Case | CPU ns/op (best of 7 rounds × {iterations:N0}) | median round | B/op |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, call) in cases)
        {
            for (var i = 0; i < iterations / 10; i++)
            {
                call();
            }
            var rounds = new List<double>();
            long bytes = 0;
            for (var r = 0; r < 7; r++)
            {
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var start = ThreadCpuNs();
                for (var i = 0; i < iterations; i++)
                {
                    call();
                }
                rounds.Add((ThreadCpuNs() - start) / (double)iterations);
                bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / iterations;
            }
            rounds.Sort();
            Console.WriteLine($"| {name} | {rounds[0]:N0} | {rounds[3]:N0} | {bytes} |");
        }
    }

    private static string BareJson(System.Buffers.ArrayBufferWriter<byte> buffer, System.Text.Json.Utf8JsonWriter w)
    {
        buffer.ResetWrittenCount();
        w.Reset(buffer);
        w.WriteStartObject();
        w.WriteString("ToolName", "web_search");
        w.WriteNumber("Step", 42);
        w.WriteNumber("ElapsedMs", 12.5);
        w.WriteEndObject();
        w.Flush();
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static long ThreadCpuNs()
    {
        const int ClockThreadCpuTimeId = 3;
        ClockGetTime(ClockThreadCpuTimeId, out var t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }

    /// <summary>Runs the probe in-process and prints BenchmarkDotNet's table.</summary>
    public static int Run(bool quick)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 1 : 3)
            .WithIterationCount(quick ? 5 : 30)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(quick ? 150 : 200));
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
            // On a shared, loaded machine the minimum and median say more than the mean.
            .AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Min, BenchmarkDotNet.Columns.StatisticColumn.Median)
            .WithArtifactsPath(Path.Combine(Infrastructure.RepoPaths.Root, "artifacts", "BenchmarkDotNet.Artifacts"))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var summary = BenchmarkRunner.Run<MapperBenchmarks>(config);
        return summary.HasCriticalValidationErrors ? 1 : 0;
    }
}
#endif
