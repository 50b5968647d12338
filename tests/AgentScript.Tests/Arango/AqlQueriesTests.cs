using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Storage.Arango;

namespace AgentScript.Tests.Arango;

/// <summary>
/// Every AQL text lives in <see cref="AqlQueries"/>, and user values reach the server only as bind variables: each
/// store operation is run with a marker value, and every query sent must be one of the constants, free of the
/// marker, with exactly the bind variables its text declares (a missing or extra one is a server error 1551/1552).
/// </summary>
public sealed partial class AqlQueriesTests
{
    private const string Marker = "MARKER_q7'\" OR true //";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Constants() =>
        typeof(AqlQueries).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

    [GeneratedRegex(@"(?<![\w@])@@?[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex BindParameter();

    private static HashSet<string> Declared(string aql) =>
        [.. BindParameter().Matches(aql).Select(m => m.Value.StartsWith("@@", StringComparison.Ordinal) ? m.Value[1..] : m.Value[1..])];

    [Fact]
    public void Constants_hold_no_format_placeholders_and_name_only_fixed_collections()
    {
        var constants = Constants();
        Assert.True(constants.Count >= 20, $"only {constants.Count} AQL constants found");
        foreach (var (name, aql) in constants)
        {
            Assert.DoesNotMatch(@"\{\d+\}", aql);       // no string.Format slots
            Assert.DoesNotContain("@@", aql);           // collections are fixed names, never user-chosen
            Assert.NotEmpty(aql.Trim());
            // Every query but the store's own collection counts filters by something the caller gives.
            Assert.True(Declared(aql).Count > 0 || name == nameof(AqlQueries.CollectionCounts), $"{name} takes no bind variable");
        }
    }

    [Fact]
    public async Task Every_store_operation_sends_only_constant_aql_with_user_values_as_bind_variables()
    {
        var runDoc = ArangoDocuments.FromRun(new ScriptRun
        {
            ExecutionId = Marker, ScriptName = Marker, Mode = "working", Status = RunStatus.Success, StartTime = DateTimeOffset.UtcNow,
        });
        // Hand-made answers that lead every operation down its longest path (an error to give context to, run keys
        // and ids to prune); everything else answers empty.
        var errorDoc = ArangoDocuments.FromEvent(new LogEventRecord
        {
            EventId = "e1", Timestamp = DateTimeOffset.UtcNow, Level = "ERROR", Message = "m", Category = "ERROR", ExecutionId = Marker,
        }, seq: 1);
        var handler = new ReplayHandler(ArangoStoreRouter.Create(s =>
        {
            var q = s.Json!["query"]!.GetValue<string>();
            return q == AqlQueries.RunErrors || q == AqlQueries.RunEventsBetween ? new JsonArray(errorDoc.DeepClone())
                : q == AqlQueries.PruneRunKeys ? new JsonArray("r1")
                : q == AqlQueries.PruneEventIds ? new JsonArray("log_events/e1")
                : q == AqlQueries.PruneLearningIds ? new JsonArray("agent_learnings/l1")
                : null;
        }, runDocument: runDoc));
        await using var store = new ArangoLogStore(ArangoTestClients.Options("script_logs"), 30, handler, ArangoTestClients.Retry([]));
        var t = DateTimeOffset.UtcNow;

        await store.InitializeAsync(Ct);

        await store.WriteAsync(
        [
            new RunStartWrite(new ScriptRun { ExecutionId = Marker, ScriptName = Marker, Mode = Marker, Status = RunStatus.Running, StartTime = t }),
            new ProgressWrite(Marker, new RunProgress(Marker, 10, t, """{"m":"MARKER"}""")),
            new FinalResponseWrite(Marker, """{"answer":"MARKER_q7"}"""),
            new RunEndWrite(new RunEnd { ExecutionId = Marker, Status = RunStatus.Success, EndTime = t, DurationMs = 1 }),
        ], Ct);
        await store.SearchAsync(new SearchQuery { Text = Marker, ScriptName = Marker, ExecutionId = Marker, Category = Marker, Level = "error", Since = t, Until = t }, Ct);
        await foreach (var _ in store.StreamEventsAsync(new EventFilter { Text = Marker, ScriptName = Marker, Category = Marker, ExecutionId = Marker }, Ct)) { }
        await foreach (var _ in store.StreamEventsAsync(new EventFilter { ScriptName = Marker, AfterPosition = 5, Limit = 3 }, Ct)) { }
        await store.ListRunsAsync(new RunQuery { ScriptName = Marker, Status = RunStatus.Failed, Since = t }, Ct);
        await store.ListRunsAsync(new RunQuery { ScriptName = Marker, Status = RunStatus.Abandoned }, Ct);
        await store.GetLatestResponseAsync(Marker, null, Ct);
        await store.GetLatestResponseAsync(null, Marker, Ct);
        await store.GetExecutionSummaryAsync(Marker, Ct);
        await store.GetErrorsAsync(Marker, ContextWindow.Default, Ct);
        await store.GetErrorsAsync(Marker, ContextWindow.EventCount(3), Ct);
        await store.GetLearningsAsync(new LearningQuery { ExecutionId = Marker, ScriptName = Marker, FunctionName = Marker, MinConfidence = 0.5, Since = t }, Ct);
        await store.GetLearningsAsync(new LearningQuery { Text = Marker, ScriptName = Marker }, Ct);
        await store.PruneAsync(new PruneRequest { Category = Marker, ExecutionIds = [Marker], OlderThan = TimeSpan.FromDays(1), DryRun = true }, Ct);
        await store.PruneAsync(new PruneRequest { ExecutionIds = [Marker], IncludeLearnings = true }, Ct);
        await store.GetRelationsAsync("script_runs/" + Marker, Ct);
        await store.GetExecutionGraphAsync(Marker, Ct);
        await store.GetPerformanceAsync(Marker, 7, Ct);

        var constants = Constants();
        var cursors = handler.Requests.Where(r => r.Path.EndsWith("/_api/cursor", StringComparison.Ordinal)).ToList();
        Assert.True(cursors.Count >= 20, $"only {cursors.Count} queries were sent");
        var used = new HashSet<string>();
        foreach (var c in cursors)
        {
            var aql = c.Json!["query"]!.GetValue<string>();
            var name = constants.FirstOrDefault(kv => kv.Value == aql).Key;
            Assert.True(name is not null, $"query not from AqlQueries: {aql}");
            used.Add(name);
            Assert.DoesNotContain("MARKER", aql);
            var bindVars = c.Json["bindVars"]?.AsObject() ?? [];
            Assert.Equal(Declared(aql).Order(), bindVars.Select(b => b.Key).Order());
        }
        // The marker did reach the server — as bind variables.
        Assert.Contains(cursors, c => c.Json!["bindVars"]?.ToJsonString().Contains("MARKER", StringComparison.Ordinal) == true);
        var unused = constants.Keys.Except(used).ToList();
        Assert.True(unused.Count == 0, "constants never exercised: " + string.Join(", ", unused));
    }
}
