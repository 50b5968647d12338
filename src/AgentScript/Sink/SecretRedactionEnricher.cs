using Serilog.Core;
using Serilog.Events;

namespace AgentScript.Sink;

/// <summary>
/// Replaces the value of every top-level property whose name is a secret (<see cref="ValueSanitizer.IsSecretKey"/>)
/// with <c>***</c> before any sink sees the event — so <c>"Connecting with {Password}"</c> shows <c>***</c> on the
/// console and in the stored message, not only in <c>extra</c>. Nested values are redacted by the sink.
/// </summary>
public sealed class SecretRedactionEnricher : ILogEventEnricher
{
    private static readonly ScalarValue RedactedValue = new(ValueSanitizer.Redacted);

    /// <inheritdoc/>
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<string>? secrets = null;
        foreach (var (name, _) in logEvent.Properties)
        {
            if (ValueSanitizer.IsSecretKey(name))
            {
                (secrets ??= []).Add(name);
            }
        }
        if (secrets is null)
        {
            return;
        }
        foreach (var name in secrets)
        {
            logEvent.AddOrUpdateProperty(new LogEventProperty(name, RedactedValue));
        }
    }
}
