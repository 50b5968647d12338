using Serilog.Core;
using Serilog.Events;

namespace AgentScript.Sink;

/// <summary>
/// Replaces the value of every top-level property whose name is a secret (<see cref="ValueSanitizer.IsSecretKey"/>)
/// with <c>***</c> before any sink sees the event — so <c>"Connecting with {Password}"</c> shows <c>***</c> on the
/// console and in the stored message, not only in <c>extra</c>. Nested values are redacted by the sink.
/// </summary>
internal sealed class SecretRedactionEnricher : ILogEventEnricher
{
    private static readonly ScalarValue RedactedValue = new(ValueSanitizer.Redacted);

    /// <inheritdoc/>
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        // Runs on the caller's thread for every event: no allocation unless something is redacted.
        List<LogEventProperty>? changed = null;
        if (logEvent.Properties is Dictionary<string, LogEventPropertyValue> dict)
        {
            foreach (var (name, value) in dict)
            {
                Check(name, value, ref changed);
            }
        }
        else
        {
            foreach (var (name, value) in logEvent.Properties)
            {
                Check(name, value, ref changed);
            }
        }
        if (changed is not null)
        {
            foreach (var property in changed)
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }

    private static void Check(string name, LogEventPropertyValue value, ref List<LogEventProperty>? changed)
    {
        // Nested secrets too: the rendered message would otherwise print them ({@Request} with a password inside).
        var redacted = ValueSanitizer.IsSecretKey(name) ? RedactedValue : Redact(value, 0);
        if (!ReferenceEquals(redacted, value))
        {
            (changed ??= []).Add(new LogEventProperty(name, redacted));
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
                // Copied only from the first member that changes.
                var source = s.Properties;
                LogEventProperty[]? props = null;
                for (var i = 0; i < source.Count; i++)
                {
                    var p = source[i];
                    var v = ValueSanitizer.IsSecretKey(p.Name) ? RedactedValue : Redact(p.Value, depth + 1);
                    if (props is null && ReferenceEquals(v, p.Value))
                    {
                        continue;
                    }
                    if (props is null)
                    {
                        props = new LogEventProperty[source.Count];
                        for (var j = 0; j < i; j++)
                        {
                            props[j] = source[j];
                        }
                    }
                    props[i] = ReferenceEquals(v, p.Value) ? p : new LogEventProperty(p.Name, v);
                }
                return props is null ? value : new StructureValue(props, s.TypeTag);
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
                var source = q.Elements;
                LogEventPropertyValue[]? elements = null;
                for (var i = 0; i < source.Count; i++)
                {
                    var e = source[i];
                    var v = Redact(e, depth + 1);
                    if (elements is null && ReferenceEquals(v, e))
                    {
                        continue;
                    }
                    if (elements is null)
                    {
                        elements = new LogEventPropertyValue[source.Count];
                        for (var j = 0; j < i; j++)
                        {
                            elements[j] = source[j];
                        }
                    }
                    elements[i] = v;
                }
                return elements is null ? value : new SequenceValue(elements);
            }
            default:
                return value;
        }
    }
}
