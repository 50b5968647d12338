using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Storage.Arango;

namespace AgentScript.Tests.Arango;

/// <summary>The model ↔ document mapping: what is stored comes back equal, names are snake_case, unsafe names are made safe.</summary>
public sealed class ArangoDocumentsTests
{
    private static JsonElement RoundTrip(JsonObject doc) => JsonDocument.Parse(doc.ToJsonString()).RootElement.Clone();

    [Fact]
    public void Json_with_repeated_attribute_names_keeps_each_value_under_a_suffixed_name()
    {
        // JsonNode.Parse alone accepts the text and throws later, on first access; ParseJson must not.
        var node = ArangoDocuments.ParseJson("""{"a":1,"a":2,"b":{"c":true,"c":false}}""", wrapNonObject: true)!.AsObject();
        Assert.Equal("""{"a":1,"a_2":2,"b":{"c":true,"c_2":false}}""", node.ToJsonString());
        Assert.Equal("not json", ArangoDocuments.ParseJson("not json", wrapNonObject: false)!.GetValue<string>());
    }

    [Fact]
    public void Event_round_trips_every_field()
    {
        var e = new LogEventRecord
        {
            EventId = EventIds.New(), Timestamp = new DateTimeOffset(2026, 8, 4, 15, 27, 1, TimeSpan.Zero).AddTicks(12345),
            Level = LogLevels.Error, Message = "full event", MessageTemplate = "full {x}", ExecutionId = "s_20260804_152701_00aa11bb",
            ScriptName = "s", FunctionName = "Fetch", FilePath = "/src/x.cs", LineNumber = 42, Category = LogLevels.Error,
            Source = "Http", Tags = ["a", "b"], SpanId = "s1", ParentSpanId = "s0", CorrelationId = "c1",
            ExtraJson = """{"k":"v","n":[1,2]}""", PayloadJson = """{"answer":42}""",
            Exception = new ExceptionInfo("System.IO.IOException", "disk gone", "at X.Y()"), Host = "h", Pid = 12, ThreadId = 7,
        };
        var back = ArangoDocuments.ToEvent(RoundTrip(ArangoDocuments.FromEvent(e)));
        Assert.Equal(e with { Tags = null }, back with { Tags = null });
        Assert.Equal(["a", "b"], back.Tags!);
    }

    [Fact]
    public void Run_round_trips()
    {
        var r = new ScriptRun
        {
            ExecutionId = "s_20260804_152701_00aa11bb", ScriptName = "s", Mode = "debug", Status = RunStatus.Failed,
            StartTime = DateTimeOffset.UnixEpoch.AddYears(56), EndTime = DateTimeOffset.UnixEpoch.AddYears(56).AddSeconds(1), DurationMs = 1000,
            Pid = 5, Host = "h", MetadataJson = """{"args":["a"]}""", Error = new ExceptionInfo("T", "boom"), FinalResponseJson = """{"ok":true}""",
            MessagesLogged = 3, CountsByLevel = new Dictionary<string, long> { ["INFO"] = 3 },
            Progress = new RunProgress("load", 40, DateTimeOffset.UnixEpoch.AddYears(56), """{"files":3}"""), QualityScore = 0.5,
            CorrelationId = "c", SessionId = "sess",
        };
        var back = ArangoDocuments.ToRun(RoundTrip(ArangoDocuments.FromRun(r)));
        Assert.Equal(r with { CountsByLevel = back.CountsByLevel }, back);
        Assert.Equal(3, back.CountsByLevel["INFO"]);
    }

    [Fact]
    public void Learning_and_relation_round_trip()
    {
        var l = new AgentLearning { LearningId = "l1", Timestamp = DateTimeOffset.UnixEpoch, Learning = "x", ExecutionId = "e", ScriptName = "s", FunctionName = "f", Context = "c", Confidence = 0.3 };
        Assert.Equal(l, ArangoDocuments.ToLearning(RoundTrip(ArangoDocuments.FromLearning(l))));
        var r = new LogRelation
        {
            RelationId = "r1", From = "log_events/a", To = "agent_learnings/b", Type = RelationTypes.ResolvedBy, Rationale = "why",
            Confidence = 0.75, CreatedBy = "t", CreatedAt = DateTimeOffset.UnixEpoch, ValidFrom = DateTimeOffset.UnixEpoch, ValidTo = DateTimeOffset.UnixEpoch.AddDays(1),
        };
        var doc = ArangoDocuments.FromRelation(r);
        Assert.Equal("log_events/a", doc["_from"]!.GetValue<string>());
        Assert.Equal("r1", doc["_key"]!.GetValue<string>());
        Assert.Equal(r, ArangoDocuments.ToRelation(RoundTrip(doc)));
    }

    [Fact]
    public void Times_sort_as_strings_in_time_order()
    {
        var a = ArangoDocuments.Time(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));
        var b = ArangoDocuments.Time(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        Assert.Equal("2026-01-02T01:04:05.0000000Z", a);
        Assert.True(string.CompareOrdinal(a, b) < 0);
    }

    [Fact]
    public void Unsafe_attribute_names_are_renamed_without_losing_values()
    {
        var safe = ArangoDocuments.SafeKeys(JsonNode.Parse("""{"a.b":1,"a_b":2,"$x":{"y.z":[{"$w":3}]},"":4}"""));
        Assert.Equal("""{"a_b":1,"a_b_2":2,"_x":{"y_z":[{"_w":3}]},"_empty":4}""", safe!.ToJsonString());
    }

    [Fact]
    public void Search_text_holds_message_exception_and_payload_strings()
    {
        var e = new LogEventRecord
        {
            EventId = "1", Timestamp = DateTimeOffset.UnixEpoch, Level = "INFO", Message = "hello", Category = "INFO",
            Exception = new ExceptionInfo("System.TimeoutException", "upstream slow"), PayloadJson = """{"city":"zanzibar","n":[{"deep":"value"}]}""",
        };
        var text = ArangoDocuments.SearchText(e);
        foreach (var word in new[] { "hello", "System.TimeoutException", "upstream slow", "zanzibar", "value" })
        {
            Assert.Contains(word, text);
        }
    }

    [Fact]
    public void Seq_strictly_increases_even_when_the_clock_stands_still()
    {
        // A frozen clock (hand-made TimeProvider): positions still go up by one, per store instance.
        var sequence = new ArangoSequence(new FrozenTime(DateTimeOffset.UnixEpoch.AddSeconds(1)));
        var seqs = Enumerable.Range(0, 1000).Select(_ => sequence.Next()).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        Assert.Equal(1_000_000, seqs[0]);
        // A second store has its own sequence (no process-wide state).
        Assert.Equal(1_000_000, new ArangoSequence(new FrozenTime(DateTimeOffset.UnixEpoch.AddSeconds(1))).Next());
    }

    private sealed class FrozenTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
