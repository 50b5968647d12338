using System.Diagnostics;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Storage;
using AgentScript.Tracing;
using Microsoft.Data.Sqlite;

namespace AgentScript.Tests.Tracing;

/// <summary>Capture settings, URL redaction, Activity-backed spans and the stored trace id.</summary>
public sealed class TracingUnitTests
{
    [Theory]
    [InlineData(null, "System.Net.Http", true)]
    [InlineData(null, "Experimental.Microsoft.Extensions.AI", true)]
    [InlineData(null, "Microsoft.EntityFrameworkCore", false)]
    [InlineData("none", "System.Net.Http", false)]
    [InlineData("all", "Anything.At.All", true)]
    [InlineData("System.Net.Http, Npgsql*", "Npgsql.Commands", true)]
    [InlineData("System.Net.Http, Npgsql*", "Experimental.Microsoft.Extensions.AI", false)]
    public void Capture_sources_are_all_none_or_a_list(string? setting, string source, bool expected) =>
        Assert.Equal(expected, CaptureSources.Parse(setting).Includes(source));

    [Theory]
    [InlineData("https://user:pa55@api.example.com/v1/items?key=abc&page=2", "https://api.example.com/v1/items?key=*&page=*")]
    [InlineData("http://127.0.0.1:5000/ok", "http://127.0.0.1:5000/ok")]
    public void Urls_lose_user_info_and_query_values(string url, string expected) =>
        Assert.Equal(expected, CapturedAttributes.RedactUrl(url));

    [Fact]
    public async Task Spans_are_activities_whose_ids_are_the_stored_ids_and_flow_through_async_code()
    {
        using var outer = TraceSpan.Start("outer");
        Assert.Same(outer.Activity, Activity.Current);
        Assert.Equal(outer.Activity.SpanId.ToHexString(), outer.SpanId);
        Assert.Null(outer.ParentSpanId);
        var inner = await Task.Run(async () =>
        {
            await Task.Yield();
            using var span = TraceSpan.Start("inner");
            span.Complete();
            return (span.ParentSpanId, span.Activity.TraceId, Current: TraceSpan.Current?.FunctionName);
        }, TestContext.Current.CancellationToken);
        Assert.Equal(outer.SpanId, inner.ParentSpanId);
        Assert.Equal(outer.Activity.TraceId, inner.TraceId);
        Assert.Equal("inner", inner.Current);
        Assert.Same(outer, TraceSpan.Current);
        outer.Complete();
    }

    [Fact]
    public async Task A_store_made_before_trace_ids_gets_the_column_and_keeps_its_runs()
    {
        using var dir = new TempDirectory();
        var db = Path.Combine(dir.Path, "old.db");
        await using (var store = new SqliteLogStore(db))
        {
            await store.InitializeAsync(TestContext.Current.CancellationToken);
        }
        // Make the file look like one written before the column existed.
        using (var connection = new SqliteConnection("Data Source=" + db))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "ALTER TABLE script_runs DROP COLUMN trace_id; INSERT INTO script_runs (execution_id, script_name, mode, status, start_time) VALUES ('old_20260101_000000_00000000', 'old', 'working', 'success', '2026-01-01T00:00:00.0000000Z');";
            drop.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();

        await using (var store = new SqliteLogStore(db))
        {
            await store.InitializeAsync(TestContext.Current.CancellationToken);
            var start = DateTimeOffset.UtcNow;
            var id = ExecutionIds.Create("new", start);
            var outcome = await store.WriteAsync([new RunStartWrite(new ScriptRun
            {
                ExecutionId = id, ScriptName = "new", Mode = "working", Status = RunStatus.Running, StartTime = start,
                TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
            })], TestContext.Current.CancellationToken);
            Assert.Empty(outcome.Rejected);
            var runs = await store.ListRunsAsync(new RunQuery { Limit = 10 }, TestContext.Current.CancellationToken);
            Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", Assert.Single(runs, r => r.ExecutionId == id).TraceId);
            Assert.Null(Assert.Single(runs, r => r.ScriptName == "old").TraceId);
        }
        SqliteConnection.ClearAllPools();
    }
}
