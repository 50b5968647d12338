using AgentScript.Sanitizing;
using Serilog.Core;
using Serilog.Events;

namespace AgentScript.Sink;

/// <summary>
/// Redacts secrets in an event's properties before any sink sees it: the value of every property (at any depth)
/// whose name is a secret becomes <c>***</c>, and secrets inside text values (a connection string's password, a
/// token, a known secret value) are redacted by value — so <c>"Connecting with {Password}"</c> or
/// <c>"Using {Db}"</c> with <c>Server=x;Password=…</c> shows <c>***</c> in every sink, not only in the store.
/// </summary>
internal sealed class SecretRedactionEnricher : ILogEventEnricher
{
    private static readonly ScalarValue RedactedValue = new(SecretText.Redacted);
    private readonly KnownSecrets _secrets;

    /// <summary>Redacts secret names, secret-looking values and the secret values of the process environment.</summary>
    public SecretRedactionEnricher()
        : this(KnownSecrets.Process)
    {
    }

    /// <summary>Redacts secret names, secret-looking values and <paramref name="secrets"/>.</summary>
    internal SecretRedactionEnricher(KnownSecrets secrets) => _secrets = secrets;

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

    private void Check(string name, LogEventPropertyValue value, ref List<LogEventProperty>? changed)
    {
        // Nested secrets too: the rendered message would otherwise print them ({@Request} with a password inside).
        var redacted = SecretNames.IsSecretName(name) ? RedactedValue : Redact(value, 0);
        if (!ReferenceEquals(redacted, value))
        {
            (changed ??= []).Add(new LogEventProperty(name, redacted));
        }
    }

    /// <summary>The value with secret-named members redacted at any depth; the same instance when it has none.</summary>
    private LogEventPropertyValue Redact(LogEventPropertyValue value, int depth)
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
                    var v = SecretNames.IsSecretName(p.Name) ? RedactedValue : Redact(p.Value, depth + 1);
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
                    var v = key.Value is string k && SecretNames.IsSecretName(k) ? RedactedValue : Redact(element, depth + 1);
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
            case ScalarValue { Value: string text } when SecretText.MayContainSecret(text, _secrets):
            {
                var redacted = SecretText.Redact(text, _secrets);
                return ReferenceEquals(redacted, text) || redacted == text ? value : new ScalarValue(redacted);
            }
            default:
                return value;
        }
    }
}
