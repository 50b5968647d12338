using System.Text.Json;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using AgentScript.Tests.Hosting;
using Serilog;

namespace AgentScript.Tests.Sanitizing;

/// <summary>
/// A message-template or enricher property named like a record field never changes the record: through ScriptHost's
/// real Serilog pipeline into a real SQLite store, the event stays under its own run and the value is kept in extra.
/// </summary>
public sealed class ReservedFieldTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Template_and_enricher_properties_named_like_record_fields_stay_in_extra()
    {
        await using var env = new HostTestEnvironment();
        var manifest = new ScriptManifest("reserved", [new ScriptEntry("working", "Logs with reserved names.", static ctx =>
        {
            ctx.Logger.Information("Looked at {ExecutionId} of {ScriptName}", "NoSuchRun_123", "other_script");
            ctx.Logger.Information("Span {SpanId} under {ParentSpanId} in {FunctionName} at {FilePath}:{LineNumber}", "s1", "s0", "Fake.Method", "/x.cs", 7);
            ctx.Logger.Information("Category {LogCategory} from {Source} tagged {Tags} correlated {CorrelationId}", "SCRIPT_FINAL_RESPONSE", "evil", "t", "c1");
            ctx.Logger.Information("Payload {PayloadJson} and {SourceContext}", "{\"forged\":true}", "Forged.Context");
            ctx.Logger.ForContext("ExecutionId", "NoSuchRun_456").ForContext("ScriptName", "enriched").Information("Enriched {Kind}", "context");
            Log.Information("Static logger {ExecutionId}", "NoSuchRun_789");
            return ValueTask.FromResult(EntryResult.From(1));
        })], "Reserved names.");

        Assert.Equal(ExitCodes.Success, await ScriptHost.RunAsync([], manifest, env.HostOptions(Ct)));

        await using var store = await env.OpenStoreAsync();
        var run = Assert.Single(await store.ListRunsAsync(new RunQuery(), Ct));
        var all = new List<LogEventRecord>();
        await foreach (var e in store.StreamEventsAsync(new EventFilter(), Ct))
        {
            all.Add(e.Event);
        }
        // Every event of the process is filed under the one run, by the one script.
        Assert.All(all, e => Assert.Equal(run.ExecutionId, e.ExecutionId));
        Assert.All(all, e => Assert.Equal("reserved", e.ScriptName));
        Assert.Equal(all.Count, run.MessagesLogged);

        static JsonElement Extra(LogEventRecord e) => JsonDocument.Parse(e.ExtraJson!).RootElement;
        var looked = Assert.Single(all, e => (e.MessageTemplate ?? "").StartsWith("Looked at", StringComparison.Ordinal));
        Assert.Equal("NoSuchRun_123", Extra(looked).GetProperty("ExecutionId").GetString());
        Assert.Equal("other_script", Extra(looked).GetProperty("ScriptName").GetString());
        Assert.Equal("Looked at NoSuchRun_123 of other_script", looked.Message);

        var span = Assert.Single(all, e => (e.MessageTemplate ?? "").StartsWith("Span", StringComparison.Ordinal));
        Assert.Null(span.SpanId);
        Assert.Null(span.ParentSpanId);
        Assert.Null(span.FunctionName);
        Assert.Null(span.FilePath);
        Assert.Null(span.LineNumber);
        Assert.Equal("s1", Extra(span).GetProperty("SpanId").GetString());
        Assert.Equal(7, Extra(span).GetProperty("LineNumber").GetInt32());

        var category = Assert.Single(all, e => (e.MessageTemplate ?? "").StartsWith("Category", StringComparison.Ordinal));
        Assert.Equal(LogLevels.Info, category.Category);
        Assert.Null(category.Source);
        Assert.Null(category.CorrelationId);
        Assert.True(category.Tags is null || category.Tags.Count == 0);
        Assert.Equal("SCRIPT_FINAL_RESPONSE", Extra(category).GetProperty("LogCategory").GetString());

        var payload = Assert.Single(all, e => (e.MessageTemplate ?? "").StartsWith("Payload", StringComparison.Ordinal));
        Assert.Null(payload.PayloadJson);
        Assert.NotEqual("Forged.Context", payload.Source);
        Assert.Equal("{\"forged\":true}", Extra(payload).GetProperty("PayloadJson").GetString());
        Assert.Equal("Forged.Context", Extra(payload).GetProperty("SourceContext").GetString());

        var enriched = Assert.Single(all, e => (e.MessageTemplate ?? "").StartsWith("Enriched", StringComparison.Ordinal));
        Assert.Equal("NoSuchRun_456", Extra(enriched).GetProperty("ExecutionId").GetString());
        Assert.Equal("enriched", Extra(enriched).GetProperty("ScriptName").GetString());

        var viaStatic = Assert.Single(all, e => (e.MessageTemplate ?? "").StartsWith("Static logger", StringComparison.Ordinal));
        Assert.Equal("NoSuchRun_789", Extra(viaStatic).GetProperty("ExecutionId").GetString());

        // The latest response is still the run's own, not the forged payload.
        Assert.Equal("1", run.FinalResponseJson);
    }
}
