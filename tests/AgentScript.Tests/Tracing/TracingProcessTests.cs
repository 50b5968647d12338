using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Hosting;
using AgentScript.Tests.Storage;
using AgentScript.Tracing;

namespace AgentScript.Tests.Tracing;

/// <summary>
/// The test script as a real process calling a real loopback HTTP server, a real Microsoft.Extensions.AI pipeline and
/// ILogger, and exporting to a real OTLP/HTTP receiver: what the run stores and what the collector receives.
/// </summary>
public sealed class TracingProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();
    private string Db => Path.Combine(_dir.Path, "agentlog.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private async Task<(ScriptRun Run, List<LogEventRecord> Events)> OnlyRunAsync()
    {
        await using var store = new SqliteLogStore(Db);
        await store.InitializeAsync(Ct);
        var run = Assert.Single(await store.ListRunsAsync(new RunQuery { ScriptName = "test_script", Limit = 10 }, Ct));
        var events = new List<LogEventRecord>();
        await foreach (var e in store.StreamEventsAsync(new EventFilter { ExecutionId = run.ExecutionId }, Ct))
        {
            events.Add(e.Event);
        }
        return (run, events);
    }

    private static JsonElement Extra(LogEventRecord e) => JsonDocument.Parse(e.ExtraJson ?? "{}").RootElement;

    private static LogEventRecord SpanEnd(List<LogEventRecord> events, string functionName) =>
        Assert.Single(events, e => e.Category == LogCategories.SpanEnd && e.FunctionName == functionName);

    private static Task Answer(System.Net.HttpListenerContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task HttpClient_calls_are_spans_of_the_run_with_status_duration_and_redacted_url()
    {
        var release = new TaskCompletionSource();
        await using var server = new LoopbackHttpServer(async (context, _, stopping) =>
        {
            switch (context.Request.Url!.AbsolutePath)
            {
                case "/ok": await Answer(context, 200); break;
                case "/fail": await Answer(context, 500); break;
                default:
                    // Held open until the test ends: the client's 1 s timeout fires first.
                    await release.Task.WaitAsync(stopping);
                    break;
            }
        });
        try
        {
            using var script = ScriptProcess.Start(_dir.Path, Db, "http", server.BaseUrl);
            Assert.Equal(ExitCodes.Success, await script.WaitForExitAsync(Timeout));
            Assert.Equal("[\"200\",\"500\",\"timeout\"]\n", script.Stdout);
        }
        finally
        {
            release.TrySetResult();
        }

        var (run, events) = await OnlyRunAsync();
        Assert.Matches("^[0-9a-f]{32}$", run.TraceId);
        var parent = SpanEnd(events, "fetch_all");
        var http = events.Where(e => e.Category == LogCategories.SpanEnd && e.Source == "System.Net.Http").ToList();
        Assert.Equal(3, http.Count);
        Assert.All(http, e => Assert.Equal(parent.SpanId, e.ParentSpanId));
        Assert.All(http, e => Assert.Equal(run.ExecutionId, e.ExecutionId));
        Assert.All(http, e => Assert.Equal(1, events.Count(s => s.Category == LogCategories.SpanStart && s.SpanId == e.SpanId)));
        Assert.Equal(3, http.Select(e => e.SpanId).Distinct().Count());

        var ok = Assert.Single(http, e => Extra(e).TryGetProperty("http_status_code", out var s) && s.GetInt32() == 200);
        Assert.Equal("success", Extra(ok).GetProperty("outcome").GetString());
        Assert.Equal("GET", Extra(ok).GetProperty("http_method").GetString());
        var url = Extra(ok).GetProperty("url").GetString()!;
        Assert.StartsWith(server.BaseUrl + "/ok", url);
        Assert.DoesNotContain("s3cr3t", url);
        Assert.DoesNotContain(events, e => (e.ExtraJson ?? "").Contains("s3cr3t") || e.Message.Contains("s3cr3t"));

        var failed = Assert.Single(http, e => Extra(e).TryGetProperty("http_status_code", out var s) && s.GetInt32() == 500);
        Assert.Equal("failed", Extra(failed).GetProperty("outcome").GetString());
        Assert.Equal("500", Extra(failed).GetProperty("error_type").ToString());
        Assert.Equal(LogLevels.Warning, failed.Level);

        var timedOut = Assert.Single(http, e => !Extra(e).TryGetProperty("http_status_code", out _));
        Assert.Equal("failed", Extra(timedOut).GetProperty("outcome").GetString());
        Assert.False(string.IsNullOrEmpty(Extra(timedOut).GetProperty("error_type").GetString()));
        var timeoutMs = Extra(timedOut).GetProperty("duration_ms").GetDouble();
        Assert.InRange(timeoutMs, 900, 30_000);
        Assert.True(Extra(ok).GetProperty("duration_ms").GetDouble() < timeoutMs);
    }

    [Fact]
    public async Task Capture_none_records_no_http_spans_but_keeps_traced_spans()
    {
        await using var server = new LoopbackHttpServer((context, _, _) => Answer(context, context.Request.Url!.AbsolutePath == "/fail" ? 500 : 200));
        var none = new Dictionary<string, string> { [CaptureSources.EnvironmentVariable] = "none" };
        using var script = ScriptProcess.Start(_dir.Path, Db, none, "http", server.BaseUrl);
        Assert.Equal(ExitCodes.Success, await script.WaitForExitAsync(Timeout));

        var (run, events) = await OnlyRunAsync();
        Assert.NotNull(SpanEnd(events, "fetch_all"));
        Assert.DoesNotContain(events, e => e.Source == "System.Net.Http");
        Assert.Matches("^[0-9a-f]{32}$", run.TraceId);
    }

    [Fact]
    public async Task Chat_calls_through_UseOpenTelemetry_store_model_and_tokens_summed_per_run()
    {
        using var script = ScriptProcess.Start(_dir.Path, Db, "chat");
        Assert.Equal(ExitCodes.Success, await script.WaitForExitAsync(Timeout));
        Assert.Equal("[\"two\",\"two\"]\n", script.Stdout);

        var (run, events) = await OnlyRunAsync();
        var parent = SpanEnd(events, "ask_model");
        var chats = events.Where(e => e.Category == LogCategories.SpanEnd && e.Source == CaptureSources.ExtensionsAI).ToList();
        Assert.Equal(2, chats.Count);
        foreach (var chat in chats)
        {
            var x = Extra(chat);
            Assert.Equal(parent.SpanId, chat.ParentSpanId);
            Assert.Equal("chat", x.GetProperty("gen_ai_operation").GetString());
            Assert.Equal("test-model-1", x.GetProperty("gen_ai_request_model").GetString());
            Assert.Equal("test-model-1", x.GetProperty("gen_ai_response_model").GetString());
            Assert.Equal(12, x.GetProperty("input_tokens").GetInt32());
            Assert.Equal(7, x.GetProperty("output_tokens").GetInt32());
            Assert.Contains("stop", x.GetProperty("finish_reasons").ToString());
            Assert.Equal("success", x.GetProperty("outcome").GetString());
        }
        // Message contents only with the GenAI content-capture switch on.
        Assert.DoesNotContain(events, e => (e.ExtraJson ?? "").Contains("should-not-leak"));

        await using var store = new SqliteLogStore(Db);
        await store.InitializeAsync(Ct);
        Assert.Equal(new RunTokenUsage(24, 14, 2), await RunTokenUsage.ForRunAsync(store, run.ExecutionId, Ct));
    }

    [Fact]
    public async Task ILogger_events_land_in_the_run_with_its_execution_id_and_span()
    {
        using var script = ScriptProcess.Start(_dir.Path, Db, "ilogger");
        Assert.Equal(ExitCodes.Success, await script.WaitForExitAsync(Timeout));

        var (run, events) = await OnlyRunAsync();
        var fromContext = Assert.Single(events, e => e.Message.Contains("ILOGGER_CONTEXT 42"));
        Assert.Equal(run.ExecutionId, fromContext.ExecutionId);
        Assert.Equal(LogLevels.Info, fromContext.Level);
        Assert.Contains("Library.Component", fromContext.Source + fromContext.ExtraJson);
        var fromBuilder = Assert.Single(events, e => e.Message.Contains("ILOGGER_BUILDER"));
        Assert.Equal(run.ExecutionId, fromBuilder.ExecutionId);
        Assert.Equal(LogLevels.Warning, fromBuilder.Level);
        Assert.Equal(SpanEnd(events, "with_ilogger").SpanId, fromBuilder.SpanId);
    }

    [Fact]
    public async Task Spans_and_logs_reach_an_OTLP_receiver_with_the_execution_id()
    {
        await using var collector = new LoopbackHttpServer((context, _, _) => Answer(context, 200));
        using var script = ScriptProcess.Start(_dir.Path, Db, Otlp(collector.BaseUrl), "chat");
        Assert.Equal(ExitCodes.Success, await script.WaitForExitAsync(Timeout));

        var (run, _) = await OnlyRunAsync();
        var traces = Concat(collector, "/v1/traces");
        var logs = Concat(collector, "/v1/logs");
        Assert.Contains(run.ExecutionId, traces);
        Assert.Contains(AgentScriptActivitySource.ExecutionIdAttribute, traces);
        Assert.Contains("ask_model", traces);
        Assert.Contains("chat test-model-1", traces);
        Assert.Contains(run.TraceId!, Convert.ToHexString(Encoding.Latin1.GetBytes(traces)), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(run.ExecutionId, logs);
        Assert.Contains("started in mode chat", logs);
    }

    [Fact]
    public async Task With_the_OTLP_endpoint_down_the_script_keeps_its_exit_code_and_time()
    {
        // Baseline: the same export to a collector that answers (loading the exporter has its own cost, paid either way).
        await using var collector = new LoopbackHttpServer((context, _, _) => Answer(context, 200));
        var up = Stopwatch.StartNew();
        using (var live = ScriptProcess.Start(_dir.Path, Db, Otlp(collector.BaseUrl), "chat"))
        {
            Assert.Equal(ExitCodes.Success, await live.WaitForExitAsync(Timeout));
        }
        up.Stop();
        Assert.NotEmpty(collector.Requests);

        var down = Stopwatch.StartNew();
        using var script = ScriptProcess.Start(_dir.Path, Db, Otlp("http://127.0.0.1:" + LoopbackHttpServer.FreePort()), "chat");
        Assert.Equal(ExitCodes.Success, await script.WaitForExitAsync(Timeout));
        down.Stop();

        Assert.Equal("[\"two\",\"two\"]\n", script.Stdout);
        // Refused connections fail fast; whatever happens, the end of the script waits at most the bounded flush.
        Assert.True(down.Elapsed < up.Elapsed * 1.5 + OtlpSettings.ShutdownTimeout,
            $"with the endpoint down: {down.Elapsed}, with a live collector: {up.Elapsed}");
    }

    private static Dictionary<string, string> Otlp(string endpoint) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    };

    private static string Concat(LoopbackHttpServer server, string path) =>
        string.Concat(server.Requests.Where(r => r.Path.StartsWith(path, StringComparison.Ordinal)).Select(r => Encoding.Latin1.GetString(r.Body)));
}
