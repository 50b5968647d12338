// Job: front end of the safe JSON writer for Serilog property values (event properties, extra).
using System.Text.Json;
using AgentScript.Sink;
using Serilog.Events;

namespace AgentScript.Sanitizing;

/// <summary>Serilog property values written with <see cref="SafeJson"/>'s limits and redaction.</summary>
internal static class SerilogJson
{
    /// <summary>One property value as safe JSON text. Never throws.</summary>
    public static string ValueToJson(LogEventPropertyValue value, ValueLimits limits) =>
        SafeJson.Write((value, limits), static (w, s) => Write(w, s.value, s.limits, 0));

    /// <summary>
    /// The properties of an event except those <paramref name="skip"/> names, as one safe JSON object text, or null
    /// when none is left. The mapper's path: no copy of the properties, no closure.
    /// </summary>
    public static string? PropertiesToJson(IEnumerable<KeyValuePair<string, LogEventPropertyValue>> properties, Func<string, bool>? skip, ValueLimits limits)
    {
        var json = SafeJson.Write((properties, skip, limits), static (w, s) =>
        {
            var members = new JsonObjectMembers(w, s.limits);
            // Serilog keeps event properties in a Dictionary: enumerate it without boxing its enumerator.
            if (s.properties is Dictionary<string, LogEventPropertyValue> dict)
            {
                foreach (var (key, value) in dict)
                {
                    WriteProperty(w, ref members, key, value, s.skip, s.limits);
                }
            }
            else
            {
                foreach (var (key, value) in s.properties)
                {
                    WriteProperty(w, ref members, key, value, s.skip, s.limits);
                }
            }
            members.End("properties");
        });
        return json == "{}" ? null : json;
    }

    private static void WriteProperty(Utf8JsonWriter w, ref JsonObjectMembers members, string key, LogEventPropertyValue value, Func<string, bool>? skip, ValueLimits limits)
    {
        if (skip?.Invoke(key) == true || !members.Next(key))
        {
            return;
        }
        // Nearly every event property is a scalar: written directly while the size budget lasts.
        if (value is ScalarValue scalar && w.BytesPending + w.BytesCommitted < limits.MaxTotalBytes && SafeJson.TryWriteLeaf(w, scalar.Value, limits))
        {
            return;
        }
        Write(w, value, limits, 1);
    }

    /// <summary>Writes one value at <paramref name="depth"/>.</summary>
    public static void Write(Utf8JsonWriter w, LogEventPropertyValue? value, ValueLimits limits, int depth)
    {
        if (SafeJson.OverBudget(w, limits))
        {
            return;
        }
        switch (value)
        {
            case null:
                w.WriteNullValue();
                return;
            case ScalarValue scalar:
                SafeJson.WriteScalar(w, scalar.Value, limits);
                return;
        }
        if (depth >= limits.MaxDepth)
        {
            w.WriteStringValue($"<depth limit {limits.MaxDepth}>");
            return;
        }
        switch (value)
        {
            case SequenceValue seq:
            {
                var elements = seq.Elements;
                if (elements.Count > limits.MaxListElements)
                {
                    w.WriteStringValue(SafeJson.Summary(elements.Count, KindOf(elements[0])));
                    return;
                }
                w.WriteStartArray();
                for (var i = 0; i < elements.Count; i++)
                {
                    Write(w, elements[i], limits, depth + 1);
                    if (SafeJson.Exhausted(w, limits))
                    {
                        // One placeholder for the rest, not one per element.
                        SafeJson.OverBudget(w, limits);
                        break;
                    }
                }
                w.WriteEndArray();
                return;
            }
            case StructureValue st:
            {
                var members = new JsonObjectMembers(w, limits);
                if (st.TypeTag is { } tag)
                {
                    members.Note("$type", TextCleaner.CleanText(tag));
                }
                foreach (var p in st.Properties)
                {
                    if (members.Next(p.Name))
                    {
                        Write(w, p.Value, limits, depth + 1);
                    }
                }
                members.End("properties");
                return;
            }
            case DictionaryValue dict:
            {
                var members = new JsonObjectMembers(w, limits);
                foreach (var (k, v) in dict.Elements)
                {
                    if (members.Next(SafeJson.SafeToString(k.Value) ?? "null"))
                    {
                        Write(w, v, limits, depth + 1);
                    }
                }
                members.End("keys");
                return;
            }
            default:
                w.WriteStringValue(SafeJson.Text(SafeJson.SafeToString(value) ?? $"<{value.GetType().Name}>", limits));
                return;
        }
    }

    private static string KindOf(LogEventPropertyValue value) => value switch
    {
        ScalarValue s => SafeJson.KindOf(s.Value),
        SequenceValue => "array",
        _ => "object",
    };
}
