using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Sink;
using AgentScript.Storage.Arango;
using AgentScript.Tests.Hosting;

namespace AgentScript.Tests.Reliability;

/// <summary>
/// Every value of <see cref="HostileValues"/> logged through the real host (captured, destructured, as final
/// response): no crash, no hang, no event lost, every stored value bounded and valid in SQLite and in the
/// ArangoDB document shape.
/// </summary>
public sealed class HostileValueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_hostile_value_is_stored_safely_without_losing_its_event()
    {
        var corpus = HostileValues.All().ToList();
        Assert.True(corpus.Count >= 30, $"corpus has {corpus.Count} kinds");
        await using var env = new HostTestEnvironment();
        var manifest = new ScriptManifest("hostile", [new ScriptEntry("working", "logs hostile values", ctx =>
        {
            foreach (var (name, make) in corpus)
            {
                ctx.Logger.Information("structured {Kind} {@Value}", name, make());
                ctx.Logger.Information("scalar {Kind} {Value}", name, make());
                ctx.Logger.Warning(new InvalidOperationException("with " + name), "exception with {Kind} {$Value}", name, make());
            }
            AgentLog.LogLearning("hostile learning \uD800\0" + new string('L', 1_000_000), "hostile");
            var response = new Dictionary<string, object?>();
            // A sequence that throws while the response is enumerated fails the run (the script's own code failed:
            // LazyResponseTests); logged above, it is only a placeholder.
            foreach (var (name, make) in corpus.Where(c => !c.Name.Contains("MB", StringComparison.Ordinal) && !HostileValues.ThrowsWhenEnumerated(c.Name)))
            {
                response[name] = make();
            }
            return ValueTask.FromResult(EntryResult.From(response));
        })]);

        // A hang (e.g. enumerating an infinite sequence) fails the test instead of blocking the suite.
        var exit = await ScriptHost.RunAsync([], manifest, env.HostOptions(Ct)).WaitAsync(TimeSpan.FromMinutes(3), Ct);

        Assert.Equal(ExitCodes.Success, exit);
        await using var store = await env.OpenStoreAsync();
        var run = Assert.Single(await store.ListRunsAsync(new RunQuery { ScriptName = "hostile" }, Ct));
        Assert.Equal(RunStatus.Success, run.Status);
        var events = new List<LogEventRecord>();
        await foreach (var e in store.StreamEventsAsync(new EventFilter { ExecutionId = run.ExecutionId }, Ct))
        {
            events.Add(e.Event);
        }
        foreach (var (name, _) in corpus)
        {
            Assert.True(3 == events.Count(e => e.ExtraJson is { } x && JsonDocument.Parse(x).RootElement.TryGetProperty("Kind", out var k) && k.GetString() == name),
                $"not all three events of '{name}' were stored");
        }
        Assert.False(File.Exists(Path.Combine(env.Options.BufferDirectory, "deadletter.jsonl")), "something was dead-lettered");
        foreach (var e in events)
        {
            AssertSafeText(e.Message, 2_000_000);
            AssertSafeJson(e.ExtraJson, 2_000_000);
            AssertSafeJson(e.PayloadJson, 5_000_000);
            // The same event in the ArangoDB document shape: valid JSON, no hostile attribute names.
            var doc = ArangoDocuments.FromEvent(e, 1).ToJsonString();
            Assert.True(doc.Length < 10_000_000, $"ArangoDB document of {e.MessageTemplate} is {doc.Length} chars");
            AssertArangoSafeKeys(JsonNode.Parse(doc), isRoot: true);
        }
        AssertSafeJson(run.FinalResponseJson, 5_000_000);
        AssertArangoSafeKeys(ArangoDocuments.SafeKeys(ArangoDocuments.ParseJson(run.FinalResponseJson!, wrapNonObject: false)), isRoot: false);
        var learning = Assert.Single(await store.GetLearningsAsync(new LearningQuery(), Ct));
        AssertSafeText(learning.Learning, 2_000_000);
        // Secrets in well-known keys never reach the store, in any field.
        var bytes = File.ReadAllBytes(env.DatabasePath);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("SECRET"u8));
    }

    internal static void AssertSafeText(string? text, int maxLength)
    {
        if (text is null)
        {
            return;
        }
        Assert.True(text.Length <= maxLength, $"text of {text.Length} chars");
        Assert.DoesNotContain('\0', text);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                Assert.True(i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]), "lone high surrogate stored");
                i++;
            }
            else
            {
                Assert.False(char.IsLowSurrogate(text[i]), "lone low surrogate stored");
            }
        }
    }

    internal static void AssertSafeJson(string? json, int maxLength)
    {
        if (json is null)
        {
            return;
        }
        Assert.True(json.Length <= maxLength, $"JSON of {json.Length} chars");
        // Valid UTF-8 round trip and valid JSON (stores parse it).
        Assert.Equal(json, Encoding.UTF8.GetString(new UTF8Encoding(false, true).GetBytes(json)));
        using var _ = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
    }

    internal static void AssertArangoSafeKeys(JsonNode? node, bool isRoot)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    Assert.DoesNotContain('.', key);
                    Assert.False(key.StartsWith('$'), $"attribute '{key}' starts with $");
                    Assert.NotEqual("", key);
                    AssertArangoSafeKeys(value, isRoot: false);
                }
                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    AssertArangoSafeKeys(v, isRoot: false);
                }
                break;
        }
    }
}
