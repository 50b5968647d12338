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
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            // Nested secrets too: the rendered message would otherwise print them ({@Request} with a password inside).
            var redacted = ValueSanitizer.IsSecretKey(name) ? RedactedValue : Redact(value, 0);
            if (!ReferenceEquals(redacted, value))
            {
                (changed ??= []).Add(new LogEventProperty(name, redacted));
            }
        }
        foreach (var property in changed ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The value with secret-named members redacted at any depth; the same instance when it has none.</summary>
    private static LogEventPropertyValue Redact(LogEventPropertyValue value, int depth)
    {
        if (depth > 64)
        {
            return value;
        }
        switch (value)
        {
            case StructureValue s:
            {
                var props = s.Properties.Select(p => ValueSanitizer.IsSecretKey(p.Name) ? new LogEventProperty(p.Name, RedactedValue) : (Redact(p.Value, depth + 1) is var v && !ReferenceEquals(v, p.Value) ? new LogEventProperty(p.Name, v) : p)).ToList();
                return props.Zip(s.Properties).All(x => ReferenceEquals(x.First, x.Second)) ? value : new StructureValue(props, s.TypeTag);
            }
            case DictionaryValue d:
            {
                var changed = false;
                var entries = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(d.Elements.Count);
                foreach (var (key, element) in d.Elements)
                {
                    var v = key.Value is string k && ValueSanitizer.IsSecretKey(k) ? RedactedValue : Redact(element, depth + 1);
                    changed |= !ReferenceEquals(v, element);
                    entries.Add(new(key, v));
                }
                return changed ? new DictionaryValue(entries) : value;
            }
            case SequenceValue q:
            {
                var elements = q.Elements.Select(e => Redact(e, depth + 1)).ToList();
                return elements.Zip(q.Elements).All(x => ReferenceEquals(x.First, x.Second)) ? value : new SequenceValue(elements);
            }
            default:
                return value;
        }
    }
}
