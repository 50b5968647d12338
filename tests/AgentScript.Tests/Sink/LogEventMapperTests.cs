using System.Text.Json;
using AgentScript.Model;
using AgentScript.Sink;
using Serilog;
using Serilog.Context;
using Serilog.Core;
using Serilog.Events;

namespace AgentScript.Tests.Sink;

public sealed class LogEventMapperTests
{
    private sealed class Capture : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];
        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    private static (ILogger Logger, Capture Capture) NewLogger()
    {
        var capture = new Capture();
        var logger = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.Sink(capture).CreateLogger();
        return (logger, capture);
    }

    [Fact]
    public void Templates_and_context_values_seen_again_are_cleaned_for_the_secrets_of_each_call()
    {
        // The mapper remembers the cleaned text of objects Serilog reuses (a template, a pushed context value); what
        // it remembers must never outlive the secrets it was cleaned for, nor hide a secret in a later event.
        const string secret = "hunter2-very-secret";
        var known = KnownSecretsWith(secret);
        var (logger, capture) = NewLogger();
        var template = "Login with " + secret + " as {User}";
        using (LogContext.PushProperty(LogProperties.ScriptName, "script-" + secret))
        {
            logger.Information(template, "a");
            logger.Information(template, "b");
        }
        var withSecrets = new AgentScript.Sink.ValueLimits { Secrets = known };
        var withoutSecrets = new AgentScript.Sink.ValueLimits { Secrets = AgentScript.Sanitizing.KnownSecrets.None };
        foreach (var e in capture.Events)
        {
            var redacted = LogEventMapper.Map(e, withSecrets);
            Assert.DoesNotContain(secret, redacted.MessageTemplate);
            Assert.DoesNotContain(secret, redacted.ScriptName);
            // The same objects under other known secrets are cleaned again, not taken from what was remembered.
            var plain = LogEventMapper.Map(e, withoutSecrets);
            Assert.Contains(secret, plain.MessageTemplate);
            Assert.Contains(secret, plain.ScriptName);
            Assert.DoesNotContain(secret, LogEventMapper.Map(e, withSecrets).ScriptName);
        }
    }

    private static AgentScript.Sanitizing.KnownSecrets KnownSecretsWith(string value) =>
        AgentScript.Sanitizing.KnownSecrets.FromVariables(new Dictionary<string, string?> { ["MY_API_TOKEN"] = value });

    [Fact]
    public void Every_LogProperties_column_is_mapped_and_the_rest_goes_to_extra()
    {
        var (logger, capture) = NewLogger();
        var before = DateTimeOffset.UtcNow;
        using (LogContext.PushProperty(LogProperties.ExecutionId, "script_20250101_000000_abcdef01"))
        using (LogContext.PushProperty(LogProperties.ScriptName, "script"))
        using (LogContext.PushProperty(LogProperties.Mode, "debug"))
        {
            logger
                .ForContext(LogProperties.FunctionName, "Compute")
                .ForContext(LogProperties.FilePath, "/src/a.cs")
                .ForContext(LogProperties.LineNumber, 42)
                .ForContext(LogProperties.Category, LogCategories.Success)
                .ForContext(LogProperties.SpanId, "span1")
                .ForContext(LogProperties.ParentSpanId, "span0")
                .ForContext(LogProperties.CorrelationId, "corr")
                .ForContext(LogProperties.Source, "tool.x")
                .ForContext(LogProperties.Tags, new[] { "alpha", "beta" })
                .ForContext("api_key", "sk-123")
                .Warning(new InvalidOperationException("bad thing"), "Processed {Count} items for {User}", 3, "bob");
        }

        var record = LogEventMapper.Map(capture.Events.Single());

        Assert.Equal(32, record.EventId.Length);
        Assert.InRange(record.Timestamp, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(TimeSpan.Zero, record.Timestamp.Offset);
        Assert.Equal(LogLevels.Warning, record.Level);
        Assert.Equal("Processed 3 items for bob", record.Message);
        Assert.Equal("Processed {Count} items for {User}", record.MessageTemplate);
        Assert.Equal("script_20250101_000000_abcdef01", record.ExecutionId);
        Assert.Equal("script", record.ScriptName);
        Assert.Equal("Compute", record.FunctionName);
        Assert.Equal("/src/a.cs", record.FilePath);
        Assert.Equal(42, record.LineNumber);
        Assert.Equal(LogCategories.Success, record.Category);
        Assert.Equal("span1", record.SpanId);
        Assert.Equal("span0", record.ParentSpanId);
        Assert.Equal("corr", record.CorrelationId);
        Assert.Equal("tool.x", record.Source);
        Assert.Equal(["alpha", "beta"], record.Tags);
        Assert.Equal(typeof(InvalidOperationException).FullName, record.Exception!.Type);
        Assert.Equal("bad thing", record.Exception.Message);
        Assert.Contains("InvalidOperationException", record.Exception.StackTrace);
        Assert.Equal(Environment.MachineName, record.Host);
        Assert.Equal(Environment.ProcessId, record.Pid);
        Assert.Equal(Environment.CurrentManagedThreadId, record.ThreadId);
        Assert.Null(record.PayloadJson);

        var extra = JsonDocument.Parse(record.ExtraJson!).RootElement;
        Assert.Equal(3, extra.GetProperty("Count").GetInt32());
        Assert.Equal("bob", extra.GetProperty("User").GetString());
        Assert.Equal("debug", extra.GetProperty("Mode").GetString());
        Assert.Equal("***", extra.GetProperty("api_key").GetString());
        foreach (var column in new[] { LogProperties.ExecutionId, LogProperties.ScriptName, LogProperties.FunctionName, LogProperties.FilePath, LogProperties.LineNumber, LogProperties.Category, LogProperties.SpanId, LogProperties.ParentSpanId, LogProperties.CorrelationId, LogProperties.Source, LogProperties.Tags })
        {
            Assert.False(extra.TryGetProperty(column, out _), $"{column} should be a column, not in extra");
        }
    }

    [Theory]
    [InlineData(LogEventLevel.Verbose, "TRACE")]
    [InlineData(LogEventLevel.Debug, "DEBUG")]
    [InlineData(LogEventLevel.Information, "INFO")]
    [InlineData(LogEventLevel.Warning, "WARNING")]
    [InlineData(LogEventLevel.Error, "ERROR")]
    [InlineData(LogEventLevel.Fatal, "CRITICAL")]
    public void Category_defaults_to_the_level_name(LogEventLevel level, string name)
    {
        var (logger, capture) = NewLogger();
        logger.Write(level, "plain");
        var record = LogEventMapper.Map(capture.Events.Single());
        Assert.Equal(name, record.Level);
        Assert.Equal(name, record.Category);
        Assert.Null(record.ExtraJson);
        Assert.Null(record.ExecutionId);
    }

    [Fact]
    public void Source_context_fills_source_and_tags_may_be_a_comma_list()
    {
        var (logger, capture) = NewLogger();
        logger.ForContext<LogEventMapperTests>().ForContext(LogProperties.Tags, "a, b").Information("x");
        var record = LogEventMapper.Map(capture.Events.Single());
        Assert.Equal(typeof(LogEventMapperTests).FullName, record.Source);
        Assert.Equal(["a", "b"], record.Tags);
    }

    [Fact]
    public void Payload_property_goes_to_payload_made_safe_with_payload_limits()
    {
        var (logger, capture) = NewLogger();
        var big = new string('q', 5000);
        logger.ForContext(LogEventMapper.PayloadProperty, JsonSerializer.Serialize(new { answer = big, token = "t" }))
            .ForContext(LogProperties.Category, LogCategories.FinalResponse)
            .Information("final");
        var record = LogEventMapper.Map(capture.Events.Single());
        var payload = JsonDocument.Parse(record.PayloadJson!).RootElement;
        Assert.Equal(big, payload.GetProperty("answer").GetString());
        Assert.Equal("***", payload.GetProperty("token").GetString());
        Assert.Equal(LogCategories.FinalResponse, record.Category);
        Assert.Null(record.ExtraJson);
    }

    private sealed class Hostile
    {
        public override string ToString() => throw new InvalidOperationException("nope");
    }

    [Fact]
    public void A_property_whose_ToString_throws_does_not_lose_the_event()
    {
        var (logger, capture) = NewLogger();
        logger.Information("value {Value}", new Hostile());
        var record = LogEventMapper.Map(capture.Events.Single());
        Assert.StartsWith("value ", record.Message);
        Assert.Contains("\"Value\"", record.ExtraJson);
    }

    [Fact]
    public void Long_property_values_are_truncated_in_extra()
    {
        var (logger, capture) = NewLogger();
        logger.Information("blob {Blob}", new string('b', 10_000));
        var record = LogEventMapper.Map(capture.Events.Single());
        var blob = JsonDocument.Parse(record.ExtraJson!).RootElement.GetProperty("Blob").GetString()!;
        Assert.Equal(ValueLimits.Properties.MaxStringLength + 3, blob.Length);
        Assert.Contains("...", blob);
    }

    [Fact]
    public void Secrets_named_in_the_template_are_redacted_in_the_message_and_on_every_sink()
    {
        var capture = new Capture();
        var output = new StringWriter();
        var logger = new LoggerConfiguration()
            .Enrich.With(new SecretRedactionEnricher())
            .WriteTo.Sink(capture)
            .WriteTo.Sink(new AgentScript.Hosting.TextWriterSink(output, new Serilog.Formatting.Display.MessageTemplateTextFormatter("{Message:lj}")))
            .CreateLogger();
        logger.Information("Connecting as {User} with {Password} and {ApiKey}", "bob", "hunter2", "sk-live");

        var record = LogEventMapper.Map(capture.Events.Single());
        Assert.Equal("Connecting as bob with *** and ***", record.Message);
        Assert.DoesNotContain("hunter2", record.ExtraJson);
        Assert.Equal("Connecting as bob with *** and ***", output.ToString());

        // Without the enricher, the sink still keeps the secret out of the stored message and extra.
        var (plain, plainCapture) = NewLogger();
        plain.Information("token {Token}", "abc123");
        var unenriched = LogEventMapper.Map(plainCapture.Events.Single());
        Assert.Equal("token ***", unenriched.Message);
        Assert.DoesNotContain("abc123", unenriched.ExtraJson);
    }
}
