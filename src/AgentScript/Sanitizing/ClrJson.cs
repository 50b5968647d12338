// Job: front end of the safe JSON writer for CLR objects (metadata, progress details, final responses).
using System.Collections;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Sink;
using Serilog.Events;

namespace AgentScript.Sanitizing;

/// <summary>
/// Any CLR value written with <see cref="SafeJson"/>'s limits: member by member (a throwing getter costs one
/// placeholder, not the object), cycles and depth cut, enumeration bounded by element count and by
/// <see cref="ValueLimits.MaxWriteTime"/> (an endless enumerable ends in a summary, never a hang).
/// </summary>
internal sealed class ClrJson
{
    private readonly ValueLimits _limits;
    private readonly long _deadline;
    private readonly HashSet<object> _path = new(ReferenceEqualityComparer.Instance);
    private bool _timedOut;
    private Exception? _enumerationFailure;

    private ClrJson(ValueLimits limits)
    {
        _limits = limits;
        var ticks = limits.MaxWriteTime.TotalSeconds * Stopwatch.Frequency;
        _deadline = ticks >= long.MaxValue / 2 ? long.MaxValue : Stopwatch.GetTimestamp() + (long)ticks;
    }

    /// <summary>Any CLR value as safe JSON text. Never throws.</summary>
    public static string ToJson(object? value, ValueLimits limits) =>
        SafeJson.Write((value, limits), static (w, s) =>
        {
            if (!SafeJson.TryWriteLeaf(w, s.value, s.limits))
            {
                new ClrJson(s.limits).Write(w, s.value, 0);
            }
        });

    /// <summary>
    /// Any CLR value as safe JSON text, and the first exception an enumeration threw while it was written (a lazy
    /// sequence runs its owner's code then; the text has a placeholder where it failed). Never throws.
    /// </summary>
    public static string ToJson(object? value, ValueLimits limits, out Exception? enumerationFailure)
    {
        var writer = new ClrJson(limits);
        var json = SafeJson.Write((value, limits, writer), static (w, s) =>
        {
            if (!SafeJson.TryWriteLeaf(w, s.value, s.limits))
            {
                s.writer.Write(w, s.value, 0);
            }
        });
        enumerationFailure = writer._enumerationFailure;
        return json;
    }

    private bool PastDeadline => _timedOut || (_timedOut = Stopwatch.GetTimestamp() > _deadline);

    private void Write(Utf8JsonWriter w, object? value, int depth)
    {
        if (SafeJson.TryWriteLeaf(w, value, _limits))
        {
            return;
        }
        switch (value)
        {
            case LogEventPropertyValue lv:
                SerilogJson.Write(w, lv, _limits, depth);
                return;
            case JsonElement je:
                ElementJson.Write(w, je, _limits, depth);
                return;
            case JsonDocument jd:
                ElementJson.Write(w, jd.RootElement, _limits, depth);
                return;
            case JsonNode node:
                ElementJson.Write(w, node, _limits, depth);
                return;
        }
        if (depth >= _limits.MaxDepth)
        {
            w.WriteStringValue($"<depth limit {_limits.MaxDepth}>");
            return;
        }
        if (!_path.Add(value!))
        {
            w.WriteStringValue("<cycle>");
            return;
        }
        try
        {
            switch (value)
            {
                case Exception ex:
                    w.WriteStartObject();
                    w.WriteString("type", ex.GetType().FullName);
                    w.WriteString("message", SafeJson.Text(SafeMessage(ex), _limits));
                    w.WriteEndObject();
                    return;
                case IDictionary dict:
                    WriteDictionary(w, EnumerateDictionary(dict), depth);
                    return;
                case IEnumerable<KeyValuePair<string, object?>> pairs:
                    WriteDictionary(w, pairs, depth);
                    return;
                case IEnumerable seq:
                    WriteSequence(w, seq, depth);
                    return;
                default:
                    WriteObject(w, value!, depth);
                    return;
            }
        }
        finally
        {
            _path.Remove(value!);
        }
    }

    /// <summary>Writes a child; false when the size budget or the time limit is reached (a placeholder written instead: stop the siblings).</summary>
    private bool WriteChild(Utf8JsonWriter w, object? value, int depth)
    {
        if (SafeJson.OverBudget(w, _limits))
        {
            return false;
        }
        if (PastDeadline)
        {
            w.WriteStringValue(TimeLimitNote);
            return false;
        }
        Write(w, value, depth);
        return true;
    }

    private string TimeLimitNote => $"<time limit {_limits.MaxWriteTime.TotalMilliseconds:0} ms>";

    private static string SafeMessage(Exception e)
    {
        try
        {
            return e.Message;
        }
        catch (Exception)
        {
            return "<message unavailable>";
        }
    }

    private static IEnumerable<KeyValuePair<string, object?>> EnumerateDictionary(IDictionary dict)
    {
        foreach (DictionaryEntry e in dict)
        {
            yield return new KeyValuePair<string, object?>(SafeJson.SafeToString(e.Key) ?? "null", e.Value);
        }
    }

    private void WriteDictionary(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, object?>> pairs, int depth)
    {
        // Materialise first (bounded), so a throwing enumerator cannot leave a half-written object.
        var items = new List<KeyValuePair<string, object?>>();
        var more = 0;
        string? failure = null;
        try
        {
            foreach (var p in pairs)
            {
                if (items.Count < _limits.MaxProperties)
                {
                    items.Add(p);
                }
                else if (++more >= _limits.MaxProperties * 10 || PastDeadline)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            failure = $"<enumeration failed: {e.GetType().Name}>";
            _enumerationFailure ??= e;
        }
        var members = new JsonObjectMembers(w, _limits);
        foreach (var (key, v) in items)
        {
            if (members.Next(key) && !WriteChild(w, v, depth + 1))
            {
                break;
            }
        }
        members.End("keys", more, failure);
    }

    private void WriteSequence(Utf8JsonWriter w, IEnumerable seq, int depth)
    {
        var max = _limits.MaxListElements;
        if (KnownCount(seq) is { } count && count > max)
        {
            // A collection knows its length: summarised without enumerating it.
            w.WriteStringValue(SafeJson.Summary(count, SafeJson.KindOf(FirstOrNull(seq))));
            return;
        }
        var items = new List<object?>();
        long total = 0;
        var cut = false;
        string? failure = null;
        // Counted up to a cap and a deadline, so an endless enumerable cannot hang the caller or fill memory.
        var cap = (long)max * 100 + 10_000;
        try
        {
            foreach (var item in seq)
            {
                if (total < max + 1)
                {
                    items.Add(item);
                }
                total++;
                if (total >= cap || ((total & 0x3FF) == 0 && PastDeadline))
                {
                    cut = true;
                    break;
                }
            }
        }
        catch (Exception e)
        {
            failure = $"<enumeration failed: {e.GetType().Name}>";
            _enumerationFailure ??= e;
        }
        if (failure is null && total > max)
        {
            w.WriteStringValue(SafeJson.Summary(total, SafeJson.KindOf(items[0]), atLeast: cut));
            return;
        }
        w.WriteStartArray();
        foreach (var item in items)
        {
            if (!WriteChild(w, item, depth + 1))
            {
                break;
            }
        }
        if (failure is not null)
        {
            w.WriteStringValue(failure);
        }
        w.WriteEndArray();
    }

    private static int? KnownCount(IEnumerable seq)
    {
        try
        {
            return seq is ICollection c ? c.Count : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static object? FirstOrNull(IEnumerable seq)
    {
        try
        {
            foreach (var item in seq)
            {
                return item;
            }
        }
        catch (Exception)
        {
            // The kind is only a label.
        }
        return null;
    }

    private void WriteObject(Utf8JsonWriter w, object value, int depth)
    {
        ClrMembers.Member[] members;
        try
        {
            members = ClrMembers.Of(value.GetType());
        }
        catch (Exception e)
        {
            w.WriteStringValue($"<unserialisable {value.GetType().Name}: {e.GetType().Name}>");
            return;
        }
        if (members.Length == 0)
        {
            w.WriteStringValue(SafeJson.Text(SafeJson.SafeToString(value) ?? value.GetType().Name, _limits));
            return;
        }
        var writer = new JsonObjectMembers(w, _limits);
        foreach (var member in members)
        {
            if (!writer.Next(member.Name))
            {
                continue;
            }
            if (PastDeadline)
            {
                w.WriteStringValue(TimeLimitNote);
                break;
            }
            // Member by member, so one throwing getter costs one placeholder, not the whole object.
            if (member.TryGet(value, out var memberValue, out var error))
            {
                if (!WriteChild(w, memberValue, depth + 1))
                {
                    break;
                }
            }
            else
            {
                w.WriteStringValue($"<unserialisable: getter threw {error}>");
            }
        }
        writer.End("properties");
    }
}
