using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Ingest;

/// <summary>Section 2: each side in a child process of this executable; events/s and peak working set.</summary>
public static class IngestSection
{
    public static async Task<SectionResult> RunAsync(RunContext ctx)
    {
        var n = ctx.Quick ? 100_000 : 1_000_000;
        var reps = ctx.Quick ? 1 : 2;
        var results = new List<IngestResult>();
        var errors = new List<string>();
        var poolDir = RunContext.NewTempDir("ingest-pool");
        var poolFile = Path.Combine(poolDir, "pool.jsonl");
        CallPool.Write(poolFile, IngestChild.ExecutionId);
        var idle = await RunChildAsync("idle", 1, poolFile, errors);
        var suite = Stopwatch.StartNew();
        for (var rep = 0; rep < reps; rep++)
        {
            if (rep > 0 && suite.Elapsed > TimeSpan.FromMinutes(4))
            {
                reps = rep; // the machine is slow today: one repetition only, say so below
                break;
            }
            // Alternate sides so drift on a shared machine hits both alike.
            foreach (var side in new[] { "serilog-file", "agentstore" })
            {
                var r = await RunChildAsync(side, n, poolFile, errors);
                if (r is not null)
                {
                    results.Add(r);
                }
            }
        }

        RunContext.TryDelete(poolDir);

        // Best of the repetitions per side: the machine is shared, the best run is the least disturbed one.
        var best = results.GroupBy(r => r.Side).ToDictionary(g => g.Key, g => g.MaxBy(r => r.EventsPerSecond)!);
        best.TryGetValue("serilog-file", out var serilog);
        best.TryGetValue("agentstore", out var agent);

        var sb = new StringBuilder();
        sb.AppendLine($"{n:N0} events per side, from the log call to committed (flushed and durable on disk for the file, committed");
        sb.AppendLine("and FTS-indexed for the store), then verified: the file by counting its lines and finding a marker, the store by");
        sb.AppendLine("counting the run's rows and a BM25 search for the marker. Each side runs in its own child process of the benchmark");
        sb.AppendLine($"executable (peak working set = the child's `Process.PeakWorkingSet64`), {reps} alternating repetition(s), best shown.");
        sb.AppendLine("Calls cycle over a pool of 10,000 distinct realistic calls from the corpus generator (templates, values, exceptions).");
        sb.AppendLine();
        sb.AppendLine("| Side | Events | Seconds | Events/s | Peak working set | CPU seconds | Verified rows | Search hit | Verify time | On disk | Bytes/event |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
        foreach (var r in results.Prepend(idle).Where(r => r is not null))
        {
            var disk = r!.Events == 0 ? "" : Stats.Mb(r.StoredBytes);
            var perEvent = r.Events == 0 ? "" : r.BytesPerEvent.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
            sb.AppendLine($"| {r.Side} | {r.Events:N0} | {r.Seconds:0.00} | {r.EventsPerSecond:N0} | {Stats.Mb(r.PeakWorkingSetBytes)} | {r.CpuSeconds:0.0} | {r.Verified:N0} | {(r.Events == 0 ? "" : r.SearchHit ? "yes" : "**no**")} | {r.VerifySeconds:0.00} s | {disk} | {perEvent} |");
        }
        sb.AppendLine();
        sb.AppendLine("- serilog-file: `WriteTo.Async(a => a.File(new CompactJsonFormatter(), path, buffered: true), blockWhenFull: true)` —");
        sb.AppendLine("  the bound of a durable local log (blocking instead of dropping, so all events reach the file).");
        sb.AppendLine("- agentstore: the AgentScript sink into a fresh SQLite store (WAL, FTS5).");
        sb.AppendLine("- On disk: the compact-JSON file (CLEF: template and properties, no rendered message, no index) against the store's");
        sb.AppendLine("  files (`agentlog.db` and its `-wal`/`-shm`: rendered message and template, columns, the indexes and the FTS5 index).");
        foreach (var r in results.Where(r => r.Side == "agentstore"))
        {
            sb.AppendLine($"- agentstore run: {r.Detail}.");
        }
        foreach (var e in errors)
        {
            sb.AppendLine($"- error: {e}");
        }

        // Profile: the store alone at several batch sizes (the pipeline's LOG_BATCH_SIZE default is 200).
        var probe = await StoreBatchProbe.RunAsync(ctx.Quick ? 20_000 : 100_000, [200, 1_000, 5_000]);
        if (probe.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Profile — the SQLite store alone (`WriteAsync` of `EventWrite` batches, no sink, no queue, fresh store), by batch size:");
            sb.AppendLine();
            sb.AppendLine("| Batch size | Events/s |");
            sb.AppendLine("|---:|---:|");
            foreach (var (size, rate) in probe)
            {
                sb.AppendLine($"| {size:N0} | {rate:N0} |");
            }
        }

        // A read inside a run: AgentLog flushes the run's queued writes before it asks the store.
        var read = await InScriptReadProbe.MeasureAsync(ctx.Quick ? 10 : 30);
        sb.AppendLine();
        sb.AppendLine($"**Read inside a run** (`AgentLog.SearchAsync` in a run, after the run logged an event and worked 5 ms; every `AgentLog` query");
        sb.AppendLine($"flushes the run's queued writes first, so the read sees them; flush interval at its default of 2 s, {read.Reads} reads; baseline:");
        sb.AppendLine("the same read with nothing written since the last one):");
        sb.AppendLine();
        sb.AppendLine("| Read | Median | Max |");
        sb.AppendLine("|---|---:|---:|");
        sb.AppendLine($"| in-script (write, flush, query) | {Stats.Ms(read.InScriptMedian)} | {Stats.Ms(read.InScriptMax)} |");
        sb.AppendLine($"| idle pipeline (query only) | {Stats.Ms(read.IdleMedian)} | {Stats.Ms(read.IdleMax)} |");
        if (read.Error is not null)
        {
            sb.AppendLine();
            sb.AppendLine($"- error: {read.Error}");
        }

        var checks = new List<Check>();
        checks.Add(read.Error is null
            ? new Check("In-script read: time added by the flush (median)", $"{Stats.Ms(read.Added)} ({Stats.Ms(read.InScriptMedian)} vs {Stats.Ms(read.IdleMedian)})", $"≤ {InScriptReadProbe.TargetMs} ms", read.Added <= InScriptReadProbe.TargetMs)
            : new Check("In-script read: time added by the flush (median)", read.Error, $"≤ {InScriptReadProbe.TargetMs} ms", false));
        if (agent is null || serilog is null)
        {
            var why = agent is null ? "AgentScript side did not run" : "Serilog side did not run";
            checks.Add(new Check("Ingest events/s (SQLite + FTS5)", why, "≥ 200,000/s", null));
            checks.Add(new Check("Ingest vs Serilog file sink", why, "≥ 0.5×", null));
            checks.Add(new Check("Ingest peak working set", agent is null ? why : Stats.Mb(agent.PeakWorkingSetBytes), "≤ 150 MB", agent is null ? null : agent.PeakWorkingSetBytes <= 150L * 1024 * 1024));
            checks.Add(new Check("Store size vs compact-JSON file", why, "≤ 1.5×", null));
        }
        else
        {
            var ok = agent.Verified == n && agent.SearchHit;
            checks.Add(new Check("Ingest events/s (SQLite + FTS5)", $"{agent.EventsPerSecond:N0}/s{(ok ? "" : " (verification failed)")}", "≥ 200,000/s", ok && agent.EventsPerSecond >= 200_000));
            var ratio = agent.EventsPerSecond / serilog.EventsPerSecond;
            checks.Add(new Check("Ingest vs Serilog file sink", $"{agent.EventsPerSecond:N0} vs {serilog.EventsPerSecond:N0} = {Stats.Ratio(ratio)}", "≥ 0.5×", ok && ratio >= 0.5));
            checks.Add(new Check("Ingest peak working set", Stats.Mb(agent.PeakWorkingSetBytes), "≤ 150 MB", agent.PeakWorkingSetBytes <= 150L * 1024 * 1024));
            var sizeRatio = serilog.StoredBytes == 0 ? double.NaN : (double)agent.StoredBytes / serilog.StoredBytes;
            checks.Add(new Check("Store size vs compact-JSON file",
                $"{agent.BytesPerEvent:N0} vs {serilog.BytesPerEvent:N0} bytes/event ({Stats.Mb(agent.StoredBytes)} vs {Stats.Mb(serilog.StoredBytes)}) = {Stats.Ratio(sizeRatio)}",
                "≤ 1.5×", ok && sizeRatio <= 1.5));
        }
        return SectionResult.Create("ingest", Titles.For("ingest"), ctx, sb.ToString(), checks);
    }

    private static async Task<IngestResult?> RunChildAsync(string side, int n, string poolFile, List<string> errors)
    {
        var dir = RunContext.NewTempDir("ingest-" + side);
        try
        {
            var (file, prefixArgs) = ChildProcess.Self();
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in prefixArgs.Concat(["ingest-child", side, dir, n.ToString(System.Globalization.CultureInfo.InvariantCulture), poolFile]))
            {
                psi.ArgumentList.Add(a);
            }
            Console.WriteLine($"  ingest {side} {n:N0} …");
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            var line = (await stdout).Split('\n').FirstOrDefault(l => l.StartsWith(IngestChild.ResultPrefix, StringComparison.Ordinal));
            if (p.ExitCode != 0 || line is null)
            {
                var err = (await stderr).Split('\n').FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal)) ?? $"exit code {p.ExitCode}";
                errors.Add($"{side}: {err.Trim()}");
                return null;
            }
            var r = JsonSerializer.Deserialize<IngestResult>(line[IngestChild.ResultPrefix.Length..])!;
            Console.WriteLine($"    {r.EventsPerSecond:N0} events/s, peak {Stats.Mb(r.PeakWorkingSetBytes)}");
            return r;
        }
        finally
        {
            RunContext.TryDelete(dir);
        }
    }
}
