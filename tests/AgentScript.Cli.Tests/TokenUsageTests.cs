using AgentScript.Cli.Tests.Support;
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Cli.Tests;

/// <summary>LLM token totals of a run (sums over its captured GenAI span ends) in <c>show</c> and the report.</summary>
public sealed class TokenUsageTests
{
    [Fact]
    public async Task Show_and_report_sum_the_token_use_of_the_runs_llm_spans()
    {
        await using var temp = new TempStore();
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        var id = ExecutionIds.Create("llm_script", start);
        LogEventRecord Ev(int n, string category, string? extra = null) => new()
        {
            EventId = EventIds.New(), Timestamp = start.AddSeconds(n), Level = LogLevels.Info, Message = "chat gpt-x " + category,
            ExecutionId = id, ScriptName = "llm_script", FunctionName = "chat gpt-x", Category = category,
            SpanId = category is LogCategories.SpanStart or LogCategories.SpanEnd ? "span" + (n / 2) : null, ExtraJson = extra,
        };
        LogEventRecord End(int n, string extra) => Ev(n, LogCategories.SpanEnd, extra);
        await using (var store = await temp.OpenAsync())
        {
            var outcome = await store.WriteAsync(
            [
                new RunStartWrite(new ScriptRun { ExecutionId = id, ScriptName = "llm_script", Mode = "working", Status = RunStatus.Running, StartTime = start, TraceId = "0af7651916cd43dd8448eb211c80319c" }),
                new EventWrite(Ev(0, LogCategories.RunStart)),
                new EventWrite(Ev(2, LogCategories.SpanStart)),
                new EventWrite(Ev(4, LogCategories.SpanStart)),
                new EventWrite(Ev(6, LogCategories.SpanStart)),
                new EventWrite(End(3, "{\"gen_ai_operation\":\"chat\",\"input_tokens\":100,\"output_tokens\":20,\"outcome\":\"success\"}")),
                new EventWrite(End(5, "{\"gen_ai_operation\":\"chat\",\"input_tokens\":50,\"output_tokens\":5,\"outcome\":\"success\"}")),
                new EventWrite(End(7, "{\"http_status_code\":200,\"outcome\":\"success\"}")),
                new EventWrite(Ev(9, LogCategories.RunEnd)),
            ], TestContext.Current.CancellationToken);
            Assert.Empty(outcome.Rejected);
        }

        var json = (await temp.RunAsync("show", id, "--json")).Expect(0).Json();
        var usage = json.GetProperty("token_usage");
        Assert.Equal(150, usage.GetProperty("input_tokens").GetInt64());
        Assert.Equal(25, usage.GetProperty("output_tokens").GetInt64());
        Assert.Equal(2, usage.GetProperty("llm_calls").GetInt32());
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", json.GetProperty("run").GetProperty("trace_id").GetString());

        var table = (await temp.RunAsync("show", id)).Expect(0);
        Assert.Contains("150 input, 25 output in 2 calls", table.Stdout);

        var html = Path.Combine(temp.Directory, "r.html");
        (await temp.RunAsync("report", id, "--output", html)).Expect(0);
        Assert.Contains("LLM tokens: 150 input · 25 output in 2 calls", await File.ReadAllTextAsync(html, TestContext.Current.CancellationToken));
    }
}
