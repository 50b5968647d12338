using System.Diagnostics;
using System.Text.Json;
using Serilog;
using Serilog.Context;
using Serilog.Events;
using Serilog.Formatting.Compact;

using AgentScript.Benchmarks.Regression;

namespace AgentScript.Benchmarks.Ingest;

/// <summary>Result of one ingest side, printed by the child process as one JSON line.</summary>
public sealed record IngestResult(
    string Side, int Events, double Seconds, double EventsPerSecond, long PeakWorkingSetBytes,
    double CpuSeconds, long Verified, bool SearchHit, double VerifySeconds, string Detail, long StoredBytes = 0)
{
    /// <summary>Bytes on disk per event: the store's files, or the compact-JSON file.</summary>
    public double BytesPerEvent => Events == 0 ? 0 : (double)StoredBytes / Events;
}

/// <summary>
/// Runs one ingest side in its own process (so its peak working set is its own):
/// <c>ingest-child &lt;idle|serilog-file|agentstore&gt; &lt;dir&gt; &lt;events&gt; &lt;pool file&gt;</c>.
/// </summary>
public static class IngestChild
{
    public const string ExecutionId = "ingest_bench_20260101_000000_00c0ffee";
    public const string ResultPrefix = "RESULT ";

    public static async Task<int> RunAsync(string[] args)
    {
        var side = args[0];
        var dir = args[1];
        var n = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        Directory.CreateDirectory(dir);

        // The pool file is written by the parent (CallPool.Write); holding it costs a few MB.
        var pool = CallPool.Read(args[3]);
        var executionId = IngestChild.ExecutionId;
        var marker = "zqxmarker" + Guid.NewGuid().ToString("N")[..8];

        IngestResult result = side switch
        {
            "idle" => new IngestResult(side, 0, 0, 0, Process.GetCurrentProcess().PeakWorkingSet64, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 0, false, 0, "process floor: runtime + call pool loaded, nothing logged"),
            "serilog-file" => SerilogFile(dir, n, pool, marker, executionId),
            "agentstore" => await AgentStoreIngest.RunAsync(dir, n, pool, marker, executionId),
            _ => throw new ArgumentException($"unknown ingest side '{side}'"),
        };
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        return 0;
    }

    internal static LogEventLevel ToSerilog(string level) => level switch
    {
        "TRACE" => LogEventLevel.Verbose,
        "DEBUG" => LogEventLevel.Debug,
        "WARNING" => LogEventLevel.Warning,
        "ERROR" => LogEventLevel.Error,
        "CRITICAL" => LogEventLevel.Fatal,
        _ => LogEventLevel.Information,
    };

    /// <summary>Serilog's file sink with compact JSON behind Async with blockWhenFull (no event dropped, as a durable log must).</summary>
    private static IngestResult SerilogFile(string dir, int n, PooledCall[] pool, string marker, string executionId)
    {
        var path = Path.Combine(dir, "ingest.clef");
        var sw = Stopwatch.StartNew();
        var logger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.FromLogContext()
            .WriteTo.Async(a => a.File(new CompactJsonFormatter(), path, buffered: true), blockWhenFull: true)
            .CreateLogger();
        using (LogContext.PushProperty(AgentScript.Model.LogProperties.ExecutionId, executionId))
        {
            for (var i = 0; i < n - 1; i++)
            {
                var (level, ex, template, values) = pool[i % pool.Length];
                logger.Write(level, ex, template, values);
            }
            logger.Information("Ingest finished with {Marker}", marker);
        }
        logger.Dispose(); // drains the queue and flushes the file: everything is on disk now
        sw.Stop();
        var seconds = sw.Elapsed.TotalSeconds;

        var verify = Stopwatch.StartNew();
        long lines = 0;
        var hit = false;
        foreach (var line in File.ReadLines(path))
        {
            lines++;
            if (!hit && line.Contains(marker, StringComparison.Ordinal))
            {
                hit = true;
            }
        }
        verify.Stop();
        var p = Process.GetCurrentProcess();
        return new IngestResult("serilog-file", n, seconds, n / seconds, p.PeakWorkingSet64, p.TotalProcessorTime.TotalSeconds,
            lines, hit, verify.Elapsed.TotalSeconds, $"file {new FileInfo(path).Length / 1024 / 1024} MB; verified by reading every line (grep-like search)",
            new FileInfo(path).Length);
    }
}
