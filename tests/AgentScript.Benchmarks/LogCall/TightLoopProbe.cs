#if HAS_SINK && HAS_SQLITE_STORE
using System.Diagnostics;
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage;
using Serilog;
using Serilog.Context;
using Serilog.Events;

namespace AgentScript.Benchmarks.LogCall;

/// <summary>
/// The tight-loop log call of <see cref="LogCallBenchmarks"/> taken apart, for profiling: the whole call through the
/// sink on a saturated queue, then each step an overflowing caller pays (map, line, append) alone, in one process.
/// Run: <c>dotnet run -c Release --project tests/AgentScript.Benchmarks -- tightloop-probe [calls]</c> (prints a table;
/// run it under <c>dotnet-trace collect</c> for a CPU profile). Writes no doc.
/// </summary>
public static class TightLoopProbe
{
    private const string Template = "Tool {ToolName} finished step {Step} in {ElapsedMs} ms";
    private const string ExecutionId = "bench_20260101_000000_0a1b2c3d";

    public static int Run(string[] args)
    {
        var calls = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 1_000_000;
        // "--whole" measures the whole call only (a profile then shows just that phase).
        var wholeOnly = args.Contains("--whole");
        var dir = Infrastructure.RunContext.NewTempDir("tightloop-probe");
        try
        {
            var fixture = new AgentScriptSinkFixture(dir, ExecutionId, TimeSpan.FromSeconds(60));
            using (fixture.RunContext)
            {
                Measure("whole call (sink, saturated queue)", calls, () => fixture.Logger.Information(Template, "web_search", 42, 12.5));
            }
            if (args.Contains("--no-finish"))
            {
                // Profiling the loop alone: leave without draining (the temp folder is left behind).
                Console.Out.Flush();
                Environment.Exit(0);
            }
            Console.WriteLine(fixture.Finish());
            if (wholeOnly)
            {
                return 0;
            }

            var serilog = new LoggerConfiguration().MinimumLevel.Information().Enrich.FromLogContext().CreateLogger();
            using (LogContext.PushProperty(LogProperties.ExecutionId, ExecutionId))
            {
                Measure("Serilog, no sink", calls, () => serilog.Information(Template, "web_search", 42, 12.5));
            }
            var captured = Capture();
            Measure("LogEventMapper.Map", calls, () => LogEventMapper.Map(captured, 1, ValueLimits.Properties, ValueLimits.Payload));
            var write = new EventWrite(LogEventMapper.Map(captured, 1, ValueLimits.Properties, ValueLimits.Payload));
            Measure("DurableBuffer.RentLine (the caller's line)", calls, () =>
            {
                using var rented = DurableBuffer.RentLine(write);
            });
            var line = DurableBuffer.SerializeLine(write);
            Console.WriteLine($"line: {line.Length} B");
            using var buffer = new DurableBuffer(Path.Combine(dir, "append"), long.MaxValue / 4, new SinkCounters(), TextWriter.Null);
            buffer.OpenLanes();
            Measure("BufferAppender.TryAppendOverflow", calls, () => buffer.TryAppendOverflow(line, write));
            buffer.CloseLanes();
            return 0;
        }
        finally
        {
            Infrastructure.RunContext.TryDelete(dir);
        }
    }

    private static LogEvent Capture()
    {
        var sink = new CaptureSink();
        using var logger = new LoggerConfiguration().MinimumLevel.Information().Enrich.FromLogContext().WriteTo.Sink(sink).CreateLogger();
        using (LogContext.PushProperty(LogProperties.ExecutionId, ExecutionId))
        {
            logger.Information(Template, "web_search", 42, 12.5);
        }
        return sink.Last!;
    }

    private static void Measure(string name, int calls, Action call)
    {
        for (var i = 0; i < Math.Min(calls, 50_000); i++)
        {
            call();
        }
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var allBytes = GC.GetTotalAllocatedBytes(precise: true);
        var gen0 = GC.CollectionCount(0);
        var pause = GC.GetTotalPauseDuration();
        var cpu = ThreadCpu();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            call();
        }
        sw.Stop();
        var threadCpu = (ThreadCpu() - cpu).TotalNanoseconds / calls;
        var paused = (GC.GetTotalPauseDuration() - pause).TotalNanoseconds / calls;
        var perCall = sw.Elapsed.TotalNanoseconds / calls;
        var allocated = (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)calls;
        var allThreads = (GC.GetTotalAllocatedBytes(precise: true) - allBytes) / (double)calls;
        Console.WriteLine($"{name,-40} {perCall,8:N0} ns  {allocated,7:N0} B/call ({allThreads:N0} B all threads)  gen0 {GC.CollectionCount(0) - gen0}  GC pause {paused:N0} ns/call  thread CPU {threadCpu:N0} ns/call");
    }

    // The calling thread's CPU time (Linux CLOCK_THREAD_CPUTIME_ID): wall minus this is waiting, pauses, descheduling.
    internal static TimeSpan ThreadCpu()
    {
        if (!OperatingSystem.IsLinux() || clock_gettime(3, out var ts) != 0)
        {
            return TimeSpan.Zero;
        }
        return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clock, out TimeSpec ts);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private sealed class CaptureSink : Serilog.Core.ILogEventSink
    {
        public LogEvent? Last { get; private set; }
        public void Emit(LogEvent logEvent) => Last = logEvent;
    }
}
#endif
