using System.Text.Json;
using AgentScript.Cli.Tests.Support;
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Cli.Tests;

/// <summary>export (json, jsonl, csv, runs) and tail (latest N, --follow).</summary>
public sealed class ExportAndTailTests
{
    [Fact]
    public async Task Export_jsonl_to_a_file_has_every_event_of_the_run_in_order()
    {
        await using var s = await SeededStore.CreateAsync();
        var file = Path.Combine(s.Store.Directory, "run.jsonl");
        var summary = (await s.RunAsync("export", "--execution-id", s.Ok.ExecutionId, "--output", file, "--json")).Expect(0).Json();
        Assert.Equal(s.Ok.Events.Count, summary.GetProperty("count").GetInt64());
        Assert.Equal("jsonl", summary.GetProperty("format").GetString());
        var lines = await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(s.Ok.Events.Select(e => e.EventId), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event_id").GetString()));
        var positions = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("position").GetInt64()).ToList();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task Export_json_and_csv_to_stdout_with_filters()
    {
        await using var s = await SeededStore.CreateAsync();
        var json = (await s.RunAsync("export", "--level", "error", "--format", "json")).Expect(0).Json();
        var errorIds = new[] { s.Failed, s.Ok, s.Other }.SelectMany(r => r.Errors).Select(e => e.EventId).ToHashSet();
        Assert.Equal(errorIds, json.EnumerateArray().Select(e => e.GetProperty("event_id").GetString()!).ToHashSet());

        var jsonFlag = (await s.RunAsync("export", "--script", "other_script", "--limit", "2", "--offset", "1", "--json")).Expect(0).Json();
        Assert.Equal([s.Other.Events[1].EventId, s.Other.Events[2].EventId], jsonFlag.EnumerateArray().Select(e => e.GetProperty("event_id").GetString()));

        var csv = (await s.RunAsync("export", "--execution-id", s.Ok.ExecutionId, "--format", "csv")).Expect(0).Stdout;
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("position,event_id,timestamp,level,log_category", rows[0]);
        Assert.Equal(s.Ok.Events.Count + 1, rows.Length);
        Assert.Contains(rows, r => r.Contains(s.Ok.Error.EventId) && r.Contains("System.TimeoutException"));
        // The extra JSON has quotes and a comma-free object; it must be quoted and doubled.
        Assert.Contains(rows, r => r.Contains("\"{\"\"pages\"\":3}\""));

        var empty = (await s.RunAsync("export", "--format", "json", "--script", "nobody")).Expect(0).Json();
        Assert.Equal(0, empty.GetArrayLength());
    }

    [Fact]
    public async Task Export_runs_as_csv_and_json()
    {
        await using var s = await SeededStore.CreateAsync();
        var runs = (await s.RunAsync("export", "--runs", "--format", "json", "--script", "hello_agent")).Expect(0).Json();
        Assert.Equal(new[] { s.Ok.ExecutionId, s.Failed.ExecutionId }.ToHashSet(),
            runs.EnumerateArray().Select(r => r.GetProperty("execution_id").GetString()!).ToHashSet());
        var file = Path.Combine(s.Store.Directory, "runs.csv");
        (await s.RunAsync("export", "--runs", "--format", "csv", "-o", file)).Expect(0);
        var lines = await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("execution_id,script_name,mode,status", lines[0]);
        (await s.RunAsync("export", "--runs", "--level", "error")).Expect(2);
        (await s.RunAsync("export", "--output", "/nonexistent-dir/x/y.jsonl")).Expect(1);
    }

    [Fact]
    public async Task Tail_prints_the_latest_events()
    {
        await using var s = await SeededStore.CreateAsync();
        var r = (await s.RunAsync("tail", "-n", "3", "--json")).Expect(0);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(s.Other.Events.TakeLast(3).Select(e => e.EventId),
            lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event_id").GetString()));

        var human = (await s.RunAsync("tail", "--lines", "2", "--execution-id", s.Ok.ExecutionId)).Expect(0).Stdout;
        Assert.Contains(s.Ok.Events[^1].Message, human);
        Assert.DoesNotContain(s.Ok.Events[^3].Message, human);
    }

    [Fact]
    public async Task Tail_finds_the_latest_matches_even_far_back_in_a_large_store()
    {
        await using var temp = new TempStore();
        await using var store = await temp.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 5000).Select(i => new LogEventRecord
        {
            EventId = EventIds.New(), Timestamp = now.AddMilliseconds(i),
            Level = i == 10 ? LogLevels.Warning : LogLevels.Info, Category = i == 10 ? LogLevels.Warning : LogLevels.Info,
            Message = $"event {i}", ExecutionId = "many_20261124_000000_00000000", ScriptName = "many",
        }).ToList();
        await store.WriteAsync([.. events.Select(e => (StoreWrite)new EventWrite(e))], TestContext.Current.CancellationToken);

        // The only warning is near the start: the tail window must grow back to it.
        var warning = (await temp.RunAsync("tail", "-n", "1", "--level", "warning", "--json")).Expect(0).Stdout.Trim();
        Assert.Equal(events[10].EventId, JsonDocument.Parse(warning).RootElement.GetProperty("event_id").GetString());
        var last = (await temp.RunAsync("tail", "-n", "2", "--json")).Expect(0).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([events[^2].EventId, events[^1].EventId], last.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event_id").GetString()));
        var many = (await temp.RunAsync("tail", "-n", "1500", "--json")).Expect(0).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(events.TakeLast(1500).Select(e => e.EventId), many.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event_id").GetString()));
    }

    [Fact]
    public async Task Tail_follow_prints_new_events_until_cancelled()
    {
        await using var s = await SeededStore.CreateAsync();
        var output = new SynchronizedWriter();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var tail = s.Store.RunAsync(["tail", "--follow", "-n", "0", "--interval", "100ms", "--level", "warning", "--json"], cts.Token, output);

        await using var store = await s.Store.OpenAsync();
        var fresh = new LogEventRecord
        {
            EventId = EventIds.New(), Timestamp = DateTimeOffset.UtcNow, Level = LogLevels.Warning, Category = LogLevels.Warning,
            Message = "disk almost full", ExecutionId = s.Ok.ExecutionId, ScriptName = "hello_agent",
        };
        var ignored = fresh with { EventId = EventIds.New(), Level = LogLevels.Info, Category = LogLevels.Info, Message = "not a warning" };
        await store.WriteAsync([new EventWrite(ignored), new EventWrite(fresh)], TestContext.Current.CancellationToken);

        // Poll the captured output (the signal), bounded by a generous timeout.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!output.ToString().Contains(fresh.EventId) && DateTime.UtcNow < deadline && !tail.IsCompleted)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        cts.Cancel();
        var result = await tail;
        Assert.Equal(0, result.ExitCode);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines); // -n 0: none of the seeded warnings; the INFO event is filtered out
        Assert.Equal(fresh.EventId, JsonDocument.Parse(line).RootElement.GetProperty("event_id").GetString());
    }

    [Fact]
    public async Task Tail_follow_for_ends_by_itself()
    {
        await using var s = await SeededStore.CreateAsync();
        var r = (await s.RunAsync("tail", "--follow", "--for", "300ms", "--interval", "50ms", "-n", "1")).Expect(0);
        Assert.Contains(s.Other.Events[^1].Message, r.Stdout);
    }

    /// <summary>A StringWriter safe to read while the tool writes to it.</summary>
    private sealed class SynchronizedWriter : StringWriter
    {
        private readonly Lock _gate = new();
        public override void Write(char value) { lock (_gate) { base.Write(value); } }
        public override void Write(string? value) { lock (_gate) { base.Write(value); } }
        public override void WriteLine(string? value) { lock (_gate) { base.WriteLine(value); } }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override string ToString() { lock (_gate) { return base.ToString(); } }
    }
}
