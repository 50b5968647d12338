// Job: measure what an in-script read (AgentLog query inside a run: flush, then query) adds over the same read on an idle pipeline.
using System.Diagnostics;
using AgentScript.Configuration;
using AgentScript.Hosting;
using AgentScript.Queries;

namespace AgentScript.Benchmarks.Ingest;

/// <summary>
/// A script logs an event, works 5 ms, then reads through <see cref="AgentLog.SearchAsync(SearchQuery, CancellationToken)"/>
/// inside its run (every <c>AgentLog</c> query flushes the run's queued writes first, so the read sees them). Baseline:
/// the same read with nothing written since the last one. The flush interval stays at its default of 2 s: a read that
/// waited for the flush timer would show about 2,000 ms. Target: at most 20 ms added per read. Part of the ingest
/// section; alone with <c>-- read-probe [n]</c>.
/// </summary>
public static class InScriptReadProbe
{
    public const double TargetMs = 20;

    /// <summary>Medians and maxima of both reads (ms); <see cref="Error"/> when a read did not see the run's own write.</summary>
    public sealed record Result(int Reads, double InScriptMedian, double InScriptMax, double IdleMedian, double IdleMax, string? Error)
    {
        public double Added => InScriptMedian - IdleMedian;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 30;
        var r = await MeasureAsync(n);
        if (r.Error is not null)
        {
            Console.Error.WriteLine(r.Error);
            return 1;
        }
        Console.WriteLine($"read-probe: {n} reads, flush interval 2 s");
        Console.WriteLine($"  | in-script read (write, flush, query) | {r.InScriptMedian:0.0} ms median, {r.InScriptMax:0.0} ms max |");
        Console.WriteLine($"  | idle-pipeline read (query only)      | {r.IdleMedian:0.0} ms median, {r.IdleMax:0.0} ms max |");
        Console.WriteLine($"  | added per read                       | {r.Added:0.0} ms (target <= {TargetMs} ms) |");
        return r.Added <= TargetMs ? 0 : 1;
    }

    public static async Task<Result> MeasureAsync(int n)
    {
        var dir = Infrastructure.RunContext.NewTempDir("read-probe");
        try
        {
            await using var runtime = AgentRuntime.Create(new AgentScriptOptions
            {
                SqlitePath = Path.Combine(dir, "agentlog.db"),
                BufferDirectory = Path.Combine(dir, "buffer"),
                FlushInterval = TimeSpan.FromSeconds(2),
            });
            AgentRuntime.SetCurrent(runtime);
            var run = AgentLog.StartRun("readprobe");
            try
            {
                var query = new SearchQuery { Text = "step", ExecutionId = run.ExecutionId, Limit = 1000 };
                run.Logger.Information("warm-up step");
                await AgentLog.SearchAsync(query);

                var idle = new List<double>(n);
                var inScript = new List<double>(n);
                for (var i = 0; i < n; i++)
                {
                    // Baseline: nothing written since the last read.
                    var clock = Stopwatch.StartNew();
                    await AgentLog.SearchAsync(query);
                    idle.Add(clock.Elapsed.TotalMilliseconds);

                    run.Logger.Information("step {Index}", i);
                    await Task.Delay(5);
                    clock.Restart();
                    var hits = await AgentLog.SearchAsync(query);
                    inScript.Add(clock.Elapsed.TotalMilliseconds);
                    if (hits.Count < i + 2)
                    {
                        return new Result(i, double.NaN, double.NaN, double.NaN, double.NaN, $"read {i} did not see the run's own write ({hits.Count} hits)");
                    }
                }
                return new Result(n, Infrastructure.Stats.Median(inScript), inScript.Max(), Infrastructure.Stats.Median(idle), idle.Max(), null);
            }
            finally
            {
                AgentLog.EndRun(run: run);
                AgentRuntime.SetCurrent(null);
            }
        }
        finally
        {
            Infrastructure.RunContext.TryDelete(dir);
        }
    }
}
