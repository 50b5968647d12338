using System.Diagnostics;
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage;

namespace AgentScript.Benchmarks.Ingest;

/// <summary>
/// Profile of the durable buffer's own costs (no store): serialising writes into the overflow lane and replaying
/// them (read, split, parse). <c>-- buffer-probe [n]</c>; prints per-write microseconds.
/// </summary>
public static class BufferProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        var dir = Infrastructure.RunContext.NewTempDir("buffer-probe");
        var writes = Enumerable.Range(0, n).Select(i => (StoreWrite)new EventWrite(new LogEventRecord
        {
            EventId = EventIds.New(),
            Timestamp = DateTimeOffset.UtcNow,
            Level = LogLevels.Info,
            Message = $"Tool web_search finished step {i} in 12.5 ms for user u{i % 2000} on host h{i % 400}.example.org",
            MessageTemplate = "Tool {ToolName} finished step {Step} in {ElapsedMs} ms for user {User} on host {Host}",
            ExecutionId = "bench_20260101_000000_0a1b2c3d",
            Category = LogLevels.Info,
            ExtraJson = $"{{\"ToolName\":\"web_search\",\"Step\":{i},\"ElapsedMs\":12.5}}",
            Host = "probe",
            Pid = 1,
            ThreadId = 1,
        })).ToList();
        try
        {
            var counters = new SinkCounters();
            using var buffer = new DurableBuffer(dir, long.MaxValue, counters, TextWriter.Null);
            buffer.OpenLanes();
            var proc = Process.GetCurrentProcess();
            TimeSpan Cpu() { proc.Refresh(); return proc.TotalProcessorTime; }
            // Serialise as an overflowing caller does (the thread's reused buffer, nothing kept): a warm-up pass, then
            // the timed one. The lines the later phases append are made outside the timing.
            long bytes = 0;
            for (var pass = 0; pass < 2; pass++)
            {
                bytes = 0;
                foreach (var w in writes)
                {
                    using var line = DurableBuffer.RentLine(w);
                    bytes += line.Span.Length;
                }
            }
            var cpu0 = Cpu();
            var clock = Stopwatch.StartNew();
            foreach (var w in writes)
            {
                using var line = DurableBuffer.RentLine(w);
                bytes += line.Span.Length;
            }
            var serialize = clock.Elapsed;
            var cpu1 = Cpu();
            var lines = writes.Select(DurableBuffer.SerializeLine).ToList();
            cpu1 = Cpu();
            clock.Restart();
            for (var i = 0; i < lines.Count; i++)
            {
                buffer.TryAppendOverflow(lines[i], writes[i]);
            }
            buffer.CloseLanes();
            var append = clock.Elapsed;
            var cpu2 = Cpu();
            clock.Restart();
            long seen = 0;
            await buffer.ReplayAsync(batch => { seen += batch.Count; return Task.CompletedTask; }, 5_000, CancellationToken.None);
            var replay = clock.Elapsed;
            var cpu3 = Cpu();
            Console.WriteLine($"buffer-probe: {n:N0} writes, {bytes / 2 / n} bytes/line");
            Console.WriteLine($"  serialise       {serialize.TotalMilliseconds * 1000 / n:0.00} µs/write wall, {(cpu1 - cpu0).TotalMilliseconds * 1000 / n:0.00} µs CPU");
            Console.WriteLine($"  overflow append {append.TotalMilliseconds * 1000 / n:0.00} µs/write wall, {(cpu2 - cpu1).TotalMilliseconds * 1000 / n:0.00} µs CPU");
            Console.WriteLine($"  replay (parse)  {replay.TotalMilliseconds * 1000 / n:0.00} µs/write wall, {(cpu3 - cpu2).TotalMilliseconds * 1000 / n:0.00} µs CPU ({seen:N0} replayed)");
            return seen == n ? 0 : 1;
        }
        finally
        {
            Infrastructure.RunContext.TryDelete(dir);
        }
    }
}
