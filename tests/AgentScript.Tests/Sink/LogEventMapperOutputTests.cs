using AgentScript.Model;
using AgentScript.Sink;
using Serilog;
using Serilog.Context;
using Serilog.Core;
using Serilog.Events;

namespace AgentScript.Tests.Sink;

/// <summary>
/// The exact stored text (message, extra JSON, columns) for representative events, so the mapper's fast paths
/// cannot change what is stored. Expected values were written from the rules (seed 001 truncation, ISO dates,
/// numbers as numbers, NaN as a string, secrets as ***, lone surrogates and NUL as U+FFFD), not copied blindly.
/// </summary>
public sealed class LogEventMapperOutputTests
{
    private sealed class Capture : ILogEventSink
    {
        public LogEvent? Last { get; private set; }
        public void Emit(LogEvent logEvent) => Last = logEvent;
    }

    private enum Colour { Red, Green }

    private static (Logger Logger, Capture Capture) NewLogger()
    {
        var capture = new Capture();
        return (new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.Sink(capture).CreateLogger(), capture);
    }

    [Fact]
    public void A_three_property_call_in_a_run()
    {
        var (logger, capture) = NewLogger();
        using (logger)
        using (LogContext.PushProperty(LogProperties.ExecutionId, "bench_20260101_000000_0a1b2c3d"))
        {
            logger.Information("Tool {ToolName} finished step {Step} in {ElapsedMs} ms", "web_search", 42, 12.5);
        }
        var r = LogEventMapper.Map(capture.Last!);
        Assert.Equal("Tool web_search finished step 42 in 12.5 ms", r.Message);
        Assert.Equal("Tool {ToolName} finished step {Step} in {ElapsedMs} ms", r.MessageTemplate);
        Assert.Equal("""{"ToolName":"web_search","Step":42,"ElapsedMs":12.5}""", r.ExtraJson);
        Assert.Equal("bench_20260101_000000_0a1b2c3d", r.ExecutionId);
        Assert.Equal(LogLevels.Info, r.Level);
        Assert.Equal(LogLevels.Info, r.Category);
        Assert.Null(r.ScriptName);
        Assert.Null(r.Tags);
        Assert.Null(r.PayloadJson);
        Assert.Null(r.Exception);
        Assert.Equal(32, r.EventId.Length);
    }

    [Fact]
    public void A_script_event_with_run_span_and_category_columns_and_typed_scalars()
    {
        var (logger, capture) = NewLogger();
        using (logger)
        using (LogContext.PushProperty(LogProperties.ExecutionId, "x_1"))
        using (LogContext.PushProperty(LogProperties.ScriptName, "bench"))
        using (LogContext.PushProperty(LogProperties.Mode, "working"))
        using (LogContext.PushProperty(LogProperties.SpanId, "0123456789abcdef"))
        using (LogContext.PushProperty(LogProperties.FunctionName, "Search"))
        {
            logger.ForContext(LogProperties.Category, LogCategories.Progress)
                .Information("Fetched {Url} ({Bytes} bytes, ok={Ok}) at {At} for {RequestId}",
                    "https://example.org/a?q=1", 123_456L, true, new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2)), Guid.Parse("0a1b2c3d-0000-4000-8000-000000000001"));
        }
        var r = LogEventMapper.Map(capture.Last!);
        // Message: values rendered as .NET does with the invariant culture; strings unquoted.
        Assert.Equal("Fetched https://example.org/a?q=1 (123456 bytes, ok=True) at 01/02/2026 03:04:05 +02:00 for 0a1b2c3d-0000-4000-8000-000000000001", r.Message);
        Assert.Equal("""{"Url":"https://example.org/a?q=1","Bytes":123456,"Ok":true,"At":"2026-01-02T03:04:05.6780000+02:00","RequestId":"0a1b2c3d-0000-4000-8000-000000000001","Mode":"working"}""", r.ExtraJson);
        Assert.Equal(("x_1", "bench", "Search", "0123456789abcdef", LogCategories.Progress), (r.ExecutionId, r.ScriptName, r.FunctionName, r.SpanId, r.Category));
    }

    [Fact]
    public void Alignment_formats_and_missing_properties_render_as_serilog_does()
    {
        var (logger, capture) = NewLogger();
        using (logger)
        {
            logger.Information("{Elapsed,8:F1} ms {Name,-6}| {Count:000} {Quoted} {Missing:j}", 3.14159, "ab", 7, "q\"x");
        }
        var r = LogEventMapper.Map(capture.Last!);
        // Alignment pads the value; an explicit format applies; a property without a value keeps its token text.
        Assert.Equal("     3.1 ms ab    | 007 q\"x {Missing:j}", r.Message);
        Assert.Equal("""{"Elapsed":3.14159,"Name":"ab","Count":7,"Quoted":"q\"x"}""", r.ExtraJson);
    }

    [Fact]
    public void Hostile_and_unusual_scalars()
    {
        var (logger, capture) = NewLogger();
        using (logger)
        {
            logger.Information("lone {Lone} nul {Nul} nan {Nan} ch {Ch} dec {Dec} en {En} nil {Nil} uri {Uri} f {F} neg {Neg} dt {Dt} ts {Ts} big {Big}",
                "a\uD800b", "x\0y", double.NaN, 'c', 1.50m, Colour.Green, null, new Uri("https://example.org/x y"), 0.1f, double.NegativeInfinity,
                new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), TimeSpan.FromMilliseconds(1500), ulong.MaxValue);
        }
        var r = LogEventMapper.Map(capture.Last!);
        Assert.Equal("lone a\uFFFDb nul x\uFFFDy nan NaN ch c dec 1.50 en Green nil null uri https://example.org/x y f 0.1 neg -Infinity dt 01/02/2026 03:04:05 ts 00:00:01.5000000 big 18446744073709551615", r.Message);
        Assert.Equal(
            "{\"Lone\":\"a\uFFFDb\",\"Nul\":\"x\uFFFDy\",\"Nan\":\"NaN\",\"Ch\":\"c\",\"Dec\":1.50,\"En\":\"Green\",\"Nil\":null,\"Uri\":\"https://example.org/x y\"," +
            "\"F\":0.10000000149011612,\"Neg\":\"-Infinity\",\"Dt\":\"2026-01-02T03:04:05.0000000Z\",\"Ts\":\"00:00:01.5000000\",\"Big\":18446744073709551615}",
            r.ExtraJson);
    }

    [Fact]
    public void Long_strings_and_data_uris_are_truncated_in_extra_but_the_message_keeps_10000_characters()
    {
        var (logger, capture) = NewLogger();
        var longText = new string('x', 1500) + new string('y', 1500);
        var image = "data:image/png;base64," + new string('A', 300) + "END";
        using (logger)
        {
            logger.Information("long {Long} img {Img}", longText, image);
        }
        var r = LogEventMapper.Map(capture.Last!);
        Assert.Equal($"long {longText} img {image}", r.Message);
        var expectedLong = new string('x', 1000) + "..." + new string('y', 1000);
        var expectedImage = "data:image/png;base64," + new string('A', 50) + "..." + new string('A', 47) + "END";
        Assert.Equal($$"""{"Long":"{{expectedLong}}","Img":"{{expectedImage}}"}""", r.ExtraJson);

        logger.Information("{Huge}", new string('z', 30_000));
        var huge = LogEventMapper.Map(capture.Last!);
        Assert.Equal(new string('z', 5000) + "..." + new string('z', 5000), huge.Message);
    }

    [Fact]
    public void Structures_sequences_and_dictionaries_with_nested_secrets()
    {
        var (logger, capture) = NewLogger();
        using (logger)
        {
            logger.Information("Calling {@Request} with {Ids} and {Map}",
                new { Url = "https://example.org/api", Retries = 3, Headers = new Dictionary<string, string> { ["Accept"] = "application/json", ["Authorization"] = "Bearer x" }, Password = "hunter2", Nested = new { Api_Key = "k", Ok = false } },
                new[] { 1, 2, 3 }, new Dictionary<int, string> { [1] = "one", [2] = "two" });
        }
        var r = LogEventMapper.Map(capture.Last!);
        Assert.Equal(
            """{"Request":{"Url":"https://example.org/api","Retries":3,"Headers":{"Accept":"application/json","Authorization":"***"},"Password":"***","Nested":{"Api_Key":"***","Ok":false}},"Ids":[1,2,3],"Map":{"1":"one","2":"two"}}""",
            r.ExtraJson);
    }

    [Fact]
    public void Error_with_exception_tags_line_source_and_a_secret_in_the_template()
    {
        var (logger, capture) = NewLogger();
        using (logger)
        {
            logger.ForContext(LogProperties.Tags, new[] { "t1", "t2" }).ForContext(LogProperties.LineNumber, 12).ForContext(LogProperties.Source, "tool.x")
                .Error(new InvalidOperationException("bad"), "token {Token} for {User}", "abc123", "bob");
        }
        var r = LogEventMapper.Map(capture.Last!);
        Assert.Equal("token *** for bob", r.Message);
        Assert.Equal("""{"Token":"***","User":"bob"}""", r.ExtraJson);
        Assert.Equal((LogLevels.Error, LogLevels.Error, "tool.x", 12), (r.Level, r.Category, r.Source, r.LineNumber));
        Assert.Equal(["t1", "t2"], r.Tags);
        Assert.Equal(typeof(InvalidOperationException).FullName, r.Exception!.Type);
        Assert.Equal("bad", r.Exception.Message);
        Assert.StartsWith("System.InvalidOperationException: bad", r.Exception.StackTrace);
    }

    [Fact]
    public void The_thread_that_logged_is_recorded_when_mapping_elsewhere()
    {
        var (logger, capture) = NewLogger();
        using (logger)
        {
            logger.Information("x");
        }
        Assert.Equal(Environment.CurrentManagedThreadId, LogEventMapper.Map(capture.Last!).ThreadId);
        Assert.Equal(12345, LogEventMapper.Map(capture.Last!, 12345).ThreadId);
    }

    [Fact]
    public void Property_names_that_become_equal_when_made_safe_stay_distinct()
    {
        // Issue 8: "k\uD800" and "k\uDC00" both become "k\uFFFD" and collided with a real "k\uFFFD" (duplicate JSON keys).
        var (logger, capture) = NewLogger();
        using (logger)
        {
            logger.ForContext("k\uD800", 1).ForContext("k\uDC00", 2).ForContext("k\uFFFD", 3).Information("dup");
        }
        var r = LogEventMapper.Map(capture.Last!);
        Assert.Equal("{\"k\uFFFD\":3,\"k\uFFFD_2\":2,\"k\uFFFD_3\":1}", r.ExtraJson);
        Assert.Equal(3, System.Text.Json.Nodes.JsonNode.Parse(r.ExtraJson!)!.AsObject().Count);
    }
}
