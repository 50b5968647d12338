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

    internal static EventWrite Make(string name) => name switch
    {
        "minimal" => new EventWrite(new LogEventRecord
        {
            EventId = "e1", Timestamp = new DateTimeOffset(2026, 12, 6, 6, 0, 0, TimeSpan.Zero), Level = LogLevels.Info,
            Message = "hello", Category = LogLevels.Info,
        }),
        "full" => new EventWrite(new LogEventRecord
        {
            EventId = EventIds.New(), Timestamp = DateTimeOffset.UtcNow, Level = LogLevels.Error, Message = "Failed 3 of 4",
            MessageTemplate = "Failed {Count} of {Total}", ExecutionId = "demo_20261206_060000_0a1b2c3d", ScriptName = "demo",
            FunctionName = "Run", FilePath = "/src/demo.cs", LineNumber = 42, Category = "PROGRESS", Source = "Demo.Worker",
            Tags = ["a", "b c"], SpanId = "00f067aa0ba902b7", ParentSpanId = "53995c3f42cd8ad8", CorrelationId = "corr-1",
            ExtraJson = """{"Count":3,"Total":4,"Name":"x"}""", PayloadJson = """{"answer":[1,2,3]}""",
            Exception = new ExceptionInfo("System.InvalidOperationException", "bad state", "System.InvalidOperationException: bad state\n   at Demo.Run()"),
            Host = "vm", Pid = 1234, ThreadId = 7,
        }),
        "escapes" => new EventWrite(new LogEventRecord
        {
            EventId = "e\"2", Timestamp = new DateTimeOffset(2026, 12, 6, 6, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567),
            Level = LogLevels.Warning, Message = "quote \" backslash \\ newline \n tab \t <html> & 'x' café 日本 😀 \u0001",
            Category = "WARNING", Tags = ["<", "é", ""], Exception = new ExceptionInfo("T", "m"), LineNumber = -1, Pid = 0,
        }),
        "huge" => new EventWrite(new LogEventRecord
        {
            EventId = "e3", Timestamp = DateTimeOffset.UnixEpoch, Level = LogLevels.Debug, Message = new string('x', 600_000),
            Category = LogLevels.Debug,
        }),
        _ => new EventWrite(new LogEventRecord
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
        var back = Assert.IsType<EventWrite>(JsonSerializer.Deserialize(line.AsSpan(0, line.Length - 1), SinkJsonContext.Default.StoreWrite));
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
    public void A_rented_line_has_the_same_bytes_and_a_nested_rent_gets_its_own_buffer()
    {
        var full = Make("full");
        var minimal = Make("minimal");
        using (var outer = EventLineWriter.Rent(full))
        {
            // A second line while the first is on loan (re-entry) must not overwrite it.
            using (var inner = EventLineWriter.Rent(minimal))
            {
                Assert.Equal(SerializerLine(minimal), inner.Span.ToArray());
            }
            Assert.Equal(SerializerLine(full), outer.Span.ToArray());
        }
        // After a huge line the thread's buffer is not kept, and the next line is still exact.
        using (var huge = EventLineWriter.Rent(Make("huge")))
        {
            Assert.Equal(SerializerLine(Make("huge")).Length, huge.Span.Length);
        }
        using var again = DurableBuffer.RentLine(full);
        Assert.Equal(SerializerLine(full), again.Span.ToArray());
        var start = new RunStartWrite(new ScriptRun { ExecutionId = "demo_20261206_060000_0a1b2c3d", ScriptName = "demo", Mode = "working", Status = RunStatus.Running, StartTime = DateTimeOffset.UnixEpoch });
        using var other = DurableBuffer.RentLine(start);
        Assert.Equal(SerializerLine(start), other.Span.ToArray());
    }

    [Fact]
    public void The_buffer_serializes_events_through_the_direct_writer()
    {
        var write = Make("full");
        Assert.Equal(SerializerLine(write), DurableBuffer.SerializeLine(write));
    }
}

/// <summary>The direct reader of event lines must read what the serializer reads, and leave everything else to it.</summary>
public sealed class EventLineReaderTests
{
    private static string Json(LogEventRecord e) => JsonSerializer.Serialize(e);

    [Theory]
    [MemberData(nameof(EventLineWriterTests.Cases), MemberType = typeof(EventLineWriterTests))]
    public void An_event_line_reads_back_as_the_serializer_reads_it(string name)
    {
        var write = EventLineWriterTests.Make(name);
        var line = EventLineWriter.Line(write).AsSpan()[..^1];
        Assert.True(EventLineReader.TryRead(line, out var fast));
        var slow = Assert.IsType<EventWrite>(JsonSerializer.Deserialize(line, SinkJsonContext.Default.StoreWrite));
        Assert.Equal(Json(slow.Event), Json(fast!.Event));
        Assert.Equal(Json(write.Event), Json(fast.Event));
    }

    [Theory]
    // Other writes, other shapes and damaged lines are the serializer's (which reports what is wrong).
    [InlineData("""{"$w":"run_end","End":{}}""")]
    [InlineData("""{"$w":"event","Event":{"EventId":"e","Timestamp":"2026-12-06T06:00:00+00:00","Level":"INFO","Message":"m","Category":"INFO","Unknown":1}}""")]
    [InlineData("""{"$w":"event","Event":{"EventId":"e","Timestamp":"2026-12-06T06:00:00+00:00","Level":"INFO","Category":"INFO"}}""")]
    [InlineData("""{"$w":"event","Event":{"EventId":"e","Timestamp":"not a time","Level":"INFO","Message":"m","Category":"INFO"}}""")]
    [InlineData("""{"$w":"event","Event":{"EventId":"e","Timestamp":"2026-12-06T06:00:00+00:00","Level":"INFO","Message":"m","Category":"INFO","Pid":"12"}}""")]
    [InlineData("""{"$w":"event","Event":{"EventId":"e","Timestamp":"2026-12-06T06:00:00+00:00","Level":"INFO","Message":"m","Category":"INFO"}} trailing""")]
    [InlineData("""{"$w":"event","Event":{"EventId":"e","Timestamp":"2026-12-06T06:00:00+00:00","Level":"INFO","Message":"m""")]
    [InlineData("""{"$w":"event","Event":{"EventId":"e","Timestamp":"2026-12-06T06:00:00+00:00","Level":"INFO","Message":"m","Category":"INFO","Exception":{"Message":"no type"}}}""")]
    public void Anything_but_an_event_line_in_the_writers_shape_is_left_to_the_serializer(string text)
    {
        Assert.False(EventLineReader.TryRead(System.Text.Encoding.UTF8.GetBytes(text), out var write));
        Assert.Null(write);
    }

    [Fact]
    public async Task A_buffer_of_event_lines_and_other_writes_replays_every_write_in_order()
    {
        using var dir = new AgentScript.Tests.Storage.TempDirectory();
        using var buffer = new DurableBuffer(Path.Combine(dir.Path, "buffer"), long.MaxValue, new SinkCounters(), TextWriter.Null);
        StoreWrite[] writes =
        [
            EventLineWriterTests.Make("full"),
            new FinalResponseWrite("demo_20261206_060000_0a1b2c3d", """{"ok":true}"""),
            EventLineWriterTests.Make("escapes"),
            EventLineWriterTests.Make("null tag"),
        ];
        Assert.True(buffer.TryAppend(writes));
        var replayed = new List<StoreWrite>();
        await buffer.ReplayAsync(b => { replayed.AddRange(b); return Task.CompletedTask; }, 100, TestContext.Current.CancellationToken);
        Assert.Equal(writes.Select(w => JsonSerializer.Serialize(w, SinkJsonContext.Default.StoreWrite)),
            replayed.Select(w => JsonSerializer.Serialize(w, SinkJsonContext.Default.StoreWrite)));
    }
}
