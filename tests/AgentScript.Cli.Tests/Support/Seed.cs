using AgentScript.Model;
using AgentScript.Storage;
using AgentScript.Tests.Shared;

namespace AgentScript.Cli.Tests.Support;

/// <summary>A seeded run and what was put in it, so tests can compare the tool's output with the truth.</summary>
public sealed record SeededRun(
    string ExecutionId, string ScriptName, RunStatus Status, IReadOnlyList<LogEventRecord> Events,
    string? FinalResponseJson, AgentLearning? Learning)
{
    public IEnumerable<LogEventRecord> Errors => Events.Where(e => LogLevels.Rank(e.Level) >= LogLevels.Rank(LogLevels.Error));
    /// <summary>The error with the TimeoutException (a failed run also ends with an ERROR event).</summary>
    public LogEventRecord Error => Events.Single(e => e.Exception is not null);
}

/// <summary>
/// Writes runs through <see cref="IAgentLogStore.WriteAsync"/> — the same write path the sink uses: run start,
/// events (nested spans, progress, an error with an exception, the final response), learning, run end.
/// </summary>
public static class Seed
{
    public static async Task<SeededRun> RunAsync(
        IAgentLogStore store, string script, DateTimeOffset start, bool fail = false, string? uniqueWord = null)
    {
        var id = ExecutionIds.Create(script, start);
        var events = new List<LogEventRecord>();
        var t = start;
        LogEventRecord Ev(string level, string message, string? category = null, string? span = null, string? parent = null,
            string? function = null, ExceptionInfo? ex = null, string? payload = null, string? extra = null)
        {
            t = t.AddMilliseconds(250);
            var e = SeedRecords.Event(id, script, t, level, message, category ?? level) with
            {
                FunctionName = function,
                SpanId = span,
                ParentSpanId = parent,
                Exception = ex,
                PayloadJson = payload,
                ExtraJson = extra,
                Host = "testhost",
                Pid = 4242,
                ThreadId = 1,
            };
            events.Add(e);
            return e;
        }

        const string outer = "span-outer-0001";
        const string inner = "span-inner-0002";
        Ev(LogLevels.Info, $"Run started ({script})", LogCategories.RunStart);
        Ev(LogLevels.Info, "Entering FetchAll", LogCategories.SpanStart, outer, null, "FetchAll");
        Ev(LogLevels.Info, $"Fetched 3 pages {uniqueWord}".Trim(), null, outer, null, "FetchAll", extra: "{\"pages\":3}");
        Ev(LogLevels.Info, "Entering ParsePage", LogCategories.SpanStart, inner, outer, "ParsePage");
        Ev(LogLevels.Debug, "Parsing page 2 of 3", null, inner, outer, "ParsePage");
        Ev(LogLevels.Warning, "Slow response from upstream service", null, inner, outer, "ParsePage");
        var error = Ev(LogLevels.Error, "Download failed with a timeout after 30 s", null, inner, outer, "ParsePage",
            new ExceptionInfo("System.TimeoutException", "The operation has timed out.", "System.TimeoutException: The operation has timed out.\n   at Demo.ParsePage()"));
        Ev(LogLevels.Info, "Retry succeeded, error fixed", null, inner, outer, "ParsePage");
        Ev(LogLevels.Info, "Leaving ParsePage", LogCategories.SpanEnd, inner, outer, "ParsePage");
        Ev(LogLevels.Info, "Halfway", LogCategories.Progress, extra: "{\"stage\":\"parse\",\"percent\":50}");
        Ev(LogLevels.Info, "Leaving FetchAll", LogCategories.SpanEnd, outer, null, "FetchAll");
        var final = fail ? null : $"{{\"pages\":3,\"ok\":true,\"script\":\"{script}\"}}";
        if (final is not null)
        {
            Ev(LogLevels.Info, "Final response", LogCategories.FinalResponse, payload: final);
        }
        Ev(fail ? LogLevels.Error : LogLevels.Info, fail ? "Run failed" : "Run finished", LogCategories.RunEnd);

        var learning = new AgentLearning
        {
            LearningId = EventIds.New(),
            Timestamp = t,
            Learning = $"Upstream times out under load; retry with backoff ({script})",
            ExecutionId = id,
            ScriptName = script,
            FunctionName = "ParsePage",
            Context = "page 2",
            Confidence = 0.9,
        };

        var writes = new List<StoreWrite>
        {
            new RunStartWrite(SeedRecords.StartedRun(id, script, "working", start)),
        };
        writes.AddRange(events.Select(e => (StoreWrite)new EventWrite(e)));
        writes.Add(new ProgressWrite(id, new RunProgress("parse", 50, start.AddSeconds(1))));
        writes.Add(new ProgressWrite(id, new RunProgress("done", 100, t)));
        if (final is not null)
        {
            writes.Add(new FinalResponseWrite(id, final));
        }
        writes.Add(new LearningWrite(learning));
        var counts = events.GroupBy(e => e.Level).ToDictionary(g => g.Key, g => (long)g.Count());
        writes.Add(new RunEndWrite(new RunEnd
        {
            ExecutionId = id,
            Status = fail ? RunStatus.Failed : RunStatus.Success,
            EndTime = t,
            DurationMs = (t - start).TotalMilliseconds,
            Error = fail ? new ExceptionInfo("System.InvalidOperationException", "The script gave up") : null,
            MessagesLogged = events.Count,
            CountsByLevel = counts,
        }));
        await SeedRecords.WriteAllAsync(store, writes, TestContext.Current.CancellationToken);
        return new SeededRun(id, script, fail ? RunStatus.Failed : RunStatus.Success, events, final, learning);
    }
}
