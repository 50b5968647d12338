using AgentScript.Sink;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace AgentScript.Tests.Sanitizing;

public sealed class SecretRedactionEnricherTests
{
    private sealed class Capture : ILogEventSink
    {
        public LogEvent? Last { get; private set; }
        public void Emit(LogEvent logEvent) => Last = logEvent;
    }

    private static (Logger Logger, Capture Capture) NewLogger(bool redact)
    {
        var capture = new Capture();
        var config = new LoggerConfiguration().MinimumLevel.Verbose();
        if (redact)
        {
            config = config.Enrich.With(new SecretRedactionEnricher());
        }
        return (config.WriteTo.Sink(capture).CreateLogger(), capture);
    }

    private static object Request => new
    {
        Url = "https://example.org",
        Items = new object[] { new { Name = "a", Token = "t-1" }, new { Name = "b", Ok = true } },
        Headers = new Dictionary<string, string> { ["Accept"] = "json", ["Authorization"] = "Bearer x" },
        Inner = new { Password = "hunter2" },
    };

    [Fact]
    public void Secrets_are_redacted_at_any_depth_in_structures_sequences_and_dictionaries()
    {
        var (logger, capture) = NewLogger(redact: true);
        using (logger)
        {
            logger.Information("Calling {@Request} with {ApiKey}", Request, "sk-live");
        }
        var e = capture.Last!;
        var rendered = e.RenderMessage();
        foreach (var secret in new[] { "t-1", "Bearer x", "hunter2", "sk-live" })
        {
            Assert.DoesNotContain(secret, rendered);
        }
        // Everything else survives, in place.
        Assert.Contains("Url: \"https://example.org\"", rendered);
        Assert.Contains("{ Name: \"a\", Token: \"***\" }", rendered);
        Assert.Contains("{ Name: \"b\", Ok: True }", rendered);
        Assert.Contains("(\"Accept\": \"json\")", rendered);
        Assert.Contains("(\"Authorization\": \"***\")", rendered);
        Assert.Contains("Inner: { Password: \"***\" }", rendered);
        Assert.Equal("***", ((ScalarValue)e.Properties["ApiKey"]).Value);
    }

    [Fact]
    public void Values_without_secrets_are_left_as_the_same_instances()
    {
        var (plain, plainCapture) = NewLogger(redact: false);
        var (logger, capture) = NewLogger(redact: true);
        var value = new { Url = "u", Items = new object[] { new { Name = "a" }, 3 }, Map = new Dictionary<string, int> { ["x"] = 1 } };
        using (plain)
        using (logger)
        {
            // The same captured property values go through the enricher: log one event, then enrich a copy of it.
            plain.Information("{@Value} {Count}", value, 3);
        }
        var original = plainCapture.Last!;
        var copy = new LogEvent(original.Timestamp, original.Level, null, original.MessageTemplate, [.. original.Properties.Select(p => new LogEventProperty(p.Key, p.Value))]);
        new SecretRedactionEnricher().Enrich(copy, null!);
        Assert.Same(original.Properties["Value"], copy.Properties["Value"]);
        Assert.Same(original.Properties["Count"], copy.Properties["Count"]);
        Assert.Null(capture.Last);
    }
}
