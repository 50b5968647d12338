using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace AgentScript.Benchmarks.LogCall;

/// <summary>
/// The Serilog stacks the AgentScript sink is compared with, built one way for the tight-loop and the burst
/// benchmarks: the async wrapper with its default dropping queue, the same wrapper blocking when full (a no-loss
/// baseline for a no-loss sink), and Serilog's built-in batching sink over the same compact-JSON file.
/// </summary>
internal static class BaselineLoggers
{
    public static Logger AsyncFile(string dir, LogCallBenchmarks.AsyncMonitor monitor, bool blockWhenFull) => new LoggerConfiguration()
        .MinimumLevel.Information()
        .Enrich.FromLogContext()
        .WriteTo.Async(a => a.File(new CompactJsonFormatter(), Path.Combine(dir, "log.clef")), blockWhenFull: blockWhenFull, monitor: monitor)
        .CreateLogger();

    public static (Logger Logger, CompactJsonBatchedFile Sink) BatchedFile(string dir)
    {
        var sink = new CompactJsonBatchedFile(Path.Combine(dir, "log.clef"));
        // Serilog's defaults except the queue limit, which is unbounded by default; the batching sink drops what
        // exceeds QueueLimit, so it is left unbounded to make it a no-loss baseline.
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .Enrich.FromLogContext()
            .WriteTo.Sink(sink, new BatchingOptions { BatchSizeLimit = 1000, BufferingTimeLimit = TimeSpan.FromSeconds(2), QueueLimit = null })
            .CreateLogger();
        return (logger, sink);
    }

    /// <summary>Serilog's <see cref="IBatchedLogEventSink"/> writing compact JSON lines to one file, a batch per write.</summary>
    internal sealed class CompactJsonBatchedFile(string path) : IBatchedLogEventSink, IDisposable
    {
        private readonly StreamWriter _writer = new(path, append: true);
        private readonly CompactJsonFormatter _formatter = new();
        private long _written;

        /// <summary>Events written so far (read by the burst benchmark to drain between bursts).</summary>
        public long Written => Interlocked.Read(ref _written);

        public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
        {
            foreach (var e in batch)
            {
                _formatter.Format(e, _writer);
            }
            await _writer.FlushAsync();
            Interlocked.Add(ref _written, batch.Count);
        }

        public Task OnEmptyBatchAsync() => Task.CompletedTask;

        public void Dispose() => _writer.Dispose();
    }
}
