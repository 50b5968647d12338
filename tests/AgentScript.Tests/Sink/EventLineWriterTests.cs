using System.Text.Json;
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Sink.Durable;
using AgentScript.Storage;

namespace AgentScript.Tests.Sink;

/// <summary>The direct writer of event lines must produce the serializer's bytes, so either reads back the same.</summary>
public sealed class EventLineWriterTests
{
    private static byte[] SerializerLine(StoreWrite write) =>
        [.. JsonSerializer.SerializeToUtf8Bytes(write, SinkJsonContext.Default.StoreWrite), (byte)'\n'];

    public static TheoryData<string> Cases => ["minimal", "full", "escapes", "huge", "null tag"];

    private static AppendEvent Make(string name) => name switch
    {
        "minimal" => new AppendEvent(new LogEventRecord
        {
            EventId = "e1", Timestamp = new DateTimeOffset(2026, 12, 6, 6, 0, 0, TimeSpan.Zero), Level = LogLevels.Info,
            Message = "hello", Category = LogLevels.Info,
        }),
        "full" => new AppendEvent(new LogEventRecord
        {
            EventId = EventIds.New(), Timestamp = DateTimeOffset.UtcNow, Level = LogLevels.Error, Message = "Failed 3 of 4",
            MessageTemplate = "Failed {Count} of {Total}", ExecutionId = "demo_20261206_060000_0a1b2c3d", ScriptName = "demo",
            FunctionName = "Run", FilePath = "/src/demo.cs", LineNumber = 42, Category = "PROGRESS", Source = "Demo.Worker",
            Tags = ["a", "b c"], SpanId = "00f067aa0ba902b7", ParentSpanId = "53995c3f42cd8ad8", CorrelationId = "corr-1",
            ExtraJson = """{"Count":3,"Total":4,"Name":"x"}""", PayloadJson = """{"answer":[1,2,3]}""",
            Exception = new ExceptionInfo("System.InvalidOperationException", "bad state", "System.InvalidOperationException: bad state\n   at Demo.Run()"),
            Host = "vm", Pid = 1234, ThreadId = 7,
        }),
        "escapes" => new AppendEvent(new LogEventRecord
        {
            EventId = "e\"2", Timestamp = new DateTimeOffset(2026, 12, 6, 6, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567),
            Level = LogLevels.Warning, Message = "quote \" backslash \\ newline \n tab \t <html> & 'x' café 日本 😀 \u0001",
            Category = "WARNING", Tags = ["<", "é", ""], Exception = new ExceptionInfo("T", "m"), LineNumber = -1, Pid = 0,
        }),
        "huge" => new AppendEvent(new LogEventRecord
        {
            EventId = "e3", Timestamp = DateTimeOffset.UnixEpoch, Level = LogLevels.Debug, Message = new string('x', 600_000),
            Category = LogLevels.Debug,
        }),
        _ => new AppendEvent(new LogEventRecord
        {
            EventId = "e4", Timestamp = DateTimeOffset.UnixEpoch, Level = LogLevels.Info, Message = "m", Category = LogLevels.Info,
            Tags = ["a", null!],
        }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_event_line_has_the_serializers_bytes_and_reads_back_equal(string name)
    {
        var write = Make(name);
        var line = EventLineWriter.Line(write);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(SerializerLine(write)), System.Text.Encoding.UTF8.GetString(line));
        var back = Assert.IsType<AppendEvent>(JsonSerializer.Deserialize(line.AsSpan(0, line.Length - 1), SinkJsonContext.Default.StoreWrite));
        Assert.Equal(JsonSerializer.Serialize(write.Event), JsonSerializer.Serialize(back.Event));
    }

    [Fact]
    public void Lines_after_a_huge_event_and_on_other_threads_are_still_exact()
    {
        Assert.Equal(SerializerLine(Make("huge")), EventLineWriter.Line(Make("huge")));
        var full = Make("full");
        Assert.Equal(SerializerLine(full), EventLineWriter.Line(full));
        var results = new byte[8][];
        Parallel.For(0, 8, i => results[i] = EventLineWriter.Line(full));
        Assert.All(results, r => Assert.Equal(SerializerLine(full), r));
    }

    [Fact]
    public void The_buffer_serializes_events_through_the_direct_writer()
    {
        var write = Make("full");
        Assert.Equal(SerializerLine(write), DurableBuffer.SerializeLine(write));
    }
}
