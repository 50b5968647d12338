using System.Diagnostics;
using Serilog.Context;

namespace AgentScript.Benchmarks.LogCall;

/// <summary>One stack's burst figures: median per call, the calling thread's bytes per call, every thread's bytes per call during the bursts.</summary>
public sealed record BurstRow(string Name, string Method, double MedianNs, double StandardError, double CallerBytes, double AllBytes);

#if HAS_SINK && HAS_SQLITE_STORE

/// <summary>
/// The burst log call — an agent script's usual pattern: bursts of <see cref="Burst"/> calls on an empty queue, the
/// sink drained after each burst outside the measurement. The stacks take turns burst by burst (the first stack of a
/// round rotates), so each is measured in the same process state: run as BenchmarkDotNet cases, one after the
/// other, the first case paid for the process's warm-up (Serilog + Async(File) measured first cost 3.5× what it
/// cost measured between the others), which made the ratio an artefact of the order.
/// Run alone: <c>dotnet run -c Release --project tests/AgentScript.Benchmarks -- burst-probe [bursts]</c>.
/// </summary>
public static class BurstComparison
{
    /// <summary>Calls per measured burst (fits every queue: Serilog.Sinks.Async 10,000, AgentScript 10,000).</summary>
    public const int Burst = LogCallSection.BurstCalls;

    private const string Template = "Tool {ToolName} finished step {Step} in {ElapsedMs} ms";
    private const string ExecutionId = "bench_20260101_000000_0a1b2c3d";

    private sealed class Stack(string name, string method, Serilog.ILogger logger, Action drain)
    {
        public string Name { get; } = name;
        public string Method { get; } = method;
        public Serilog.ILogger Logger { get; } = logger;
        public Action Drain { get; } = drain;
        public List<double> Ns { get; } = [];
        public long CallerBytes { get; set; }
        public long AllBytes { get; set; }
        public long Calls { get; set; }
    }

    /// <summary>Measures <paramref name="bursts"/> bursts per stack after <paramref name="warmup"/> each; notes say what each sink did.</summary>
    public static (List<BurstRow> Rows, List<string> Notes) Measure(int bursts, int warmup)
    {
        var dir = Infrastructure.RunContext.NewTempDir("burst");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "agent"));
            Directory.CreateDirectory(Path.Combine(dir, "serilog"));
            Directory.CreateDirectory(Path.Combine(dir, "batched"));
            var agent = new AgentScriptSinkFixture(Path.Combine(dir, "agent"), ExecutionId, TimeSpan.FromSeconds(60));
            var monitor = new LogCallBenchmarks.AsyncMonitor();
            using var serilog = LogCallBenchmarks.SerilogAsyncFileLogger(Path.Combine(dir, "serilog"), monitor);
            var (batchedLogger, batched) = BaselineLoggers.BatchedFile(Path.Combine(dir, "batched"));
            long batchedExpected = 0;
            Stack[] stacks =
            [
                new("burst: Serilog + Async(File, compact JSON)", nameof(LogCallBenchmarks.SerilogAsyncFile), serilog, () => WaitUntil(() => monitor.Count == 0)),
                new("burst: Serilog batching sink (File)", "SerilogBatchedFile", batchedLogger, () => WaitUntil(() => batched.Written >= batchedExpected)),
                new("burst: AgentScript sink (SQLite store)", "AgentScriptSink", agent.Logger, () => agent.Pipeline.FlushAsync().GetAwaiter().GetResult()),
            ];
            using (agent.RunContext)
            using (LogContext.PushProperty(Model.LogProperties.ExecutionId, ExecutionId))
            {
                for (var round = 0; round < warmup + bursts; round++)
                {
                    for (var k = 0; k < stacks.Length; k++)
                    {
                        var stack = stacks[(round + k) % stacks.Length];
                        if (stack.Method == "SerilogBatchedFile")
                        {
                            batchedExpected += Burst;
                        }
                        RunBurst(stack, measured: round >= warmup);
                    }
                }
            }
            var notes = new List<string>
            {
                $"burst serilog-async: dropped {monitor.Dropped:N0} events",
                $"burst serilog-batching: {batched.Written:N0} of {batchedExpected:N0} events written",
                "burst " + agent.Finish(),
            };
            batchedLogger.Dispose();
            batched.Dispose();
            var rows = stacks.Select(s => new BurstRow(s.Name, s.Method, Infrastructure.Stats.Median(s.Ns), StandardErrorOfMedian(s.Ns),
                (double)s.CallerBytes / s.Calls, (double)s.AllBytes / s.Calls)).ToList();
            return (rows, notes);
        }
        finally
        {
            Infrastructure.RunContext.TryDelete(dir);
        }
    }

    private static void RunBurst(Stack stack, bool measured)
    {
        var allBefore = GC.GetTotalAllocatedBytes(precise: true);
        var callerBefore = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < Burst; i++)
        {
            stack.Logger.Information(Template, "web_search", 42, 12.5);
        }
        sw.Stop();
        var caller = GC.GetAllocatedBytesForCurrentThread() - callerBefore;
        var all = GC.GetTotalAllocatedBytes(precise: true) - allBefore;
        stack.Drain();
        if (measured)
        {
            stack.Ns.Add(sw.Elapsed.TotalNanoseconds / Burst);
            stack.CallerBytes += caller;
            stack.AllBytes += all;
            stack.Calls += Burst;
        }
    }

    private static void WaitUntil(Func<bool> done)
    {
        // The Serilog sinks have no flush: poll until their writer has taken (or written) every event of the burst.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }
    }

    // The standard error of a median, from the interquartile range (robust: a burst that met a checkpoint or a
    // descheduling does not widen it): 1.2533 × (IQR / 1.349) / √n.
    private static double StandardErrorOfMedian(List<double> xs)
    {
        if (xs.Count < 4)
        {
            return 0;
        }
        var sorted = xs.Order().ToList();
        var iqr = sorted[sorted.Count * 3 / 4] - sorted[sorted.Count / 4];
        return 1.2533 * (iqr / 1.349) / Math.Sqrt(xs.Count);
    }

    /// <summary>The probe verb: prints the rows and the ratio to the Serilog + Async(File) row.</summary>
    public static int RunProbe(string[] args)
    {
        var bursts = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 200;
        var (rows, notes) = Measure(bursts, warmup: 20);
        notes.ForEach(Console.WriteLine);
        var baseline = rows[0].MedianNs;
        foreach (var r in rows)
        {
            Console.WriteLine($"{r.Name,-45} median {r.MedianNs,8:N0} ns/call (± {r.StandardError:N0})  {r.MedianNs / baseline:0.00}×  caller {r.CallerBytes:N0} B/call  all threads {r.AllBytes:N0} B/call");
        }
        return 0;
    }
}
#endif
