// Job: read an event line of the durable buffer straight from UTF-8 JSON, for the replay of an overflow.
using System.Text.Json;
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Sink.Durable;

/// <summary>
/// Reads the lines <see cref="EventLineWriter"/> writes (the serializer's own shape for an <see cref="EventWrite"/>)
/// field by field: replay runs on the writer, the one thread every event passes, and the polymorphic deserializer
/// costs several times more per event. Anything not in exactly that shape — another write, an unknown or missing
/// field, a wrong type — is left to the serializer (false), which also reports what is wrong with a damaged line.
/// </summary>
internal static class EventLineReader
{
    private static ReadOnlySpan<byte> Prefix => """{"$w":"event","Event":{"""u8;

    /// <summary>Reads <paramref name="line"/> (without its newline) as an event write; false to leave it to the serializer.</summary>
    public static bool TryRead(ReadOnlySpan<byte> line, out EventWrite? write)
    {
        write = null;
        if (!line.StartsWith(Prefix))
        {
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || !reader.ValueTextEquals("$w"u8) || !reader.Read() || !reader.ValueTextEquals("event"u8)
                || !reader.Read() || !reader.ValueTextEquals("Event"u8) || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            if (ReadEvent(ref reader) is not { } record || !reader.Read())
            {
                return false;
            }
            // The serializer also writes WriteId (read-only, ignored when read).
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("WriteId"u8) || !reader.Read() || !reader.Read())
                {
                    return false;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
            write = new EventWrite(record);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static LogEventRecord? ReadEvent(ref Utf8JsonReader r)
    {
        string? eventId = null, level = null, message = null, template = null, executionId = null, script = null,
            function = null, file = null, category = null, source = null, spanId = null, parentSpanId = null,
            correlationId = null, extra = null, payload = null, host = null;
        int? line = null, pid = null, thread = null;
        DateTimeOffset? timestamp = null;
        List<string>? tags = null;
        ExceptionInfo? exception = null;
        while (r.Read())
        {
            if (r.TokenType == JsonTokenType.EndObject)
            {
                if (eventId is null || timestamp is null || level is null || message is null || category is null)
                {
                    return null;
                }
                return new LogEventRecord
                {
                    EventId = eventId, Timestamp = timestamp.Value, Level = level, Message = message, MessageTemplate = template,
                    ExecutionId = executionId, ScriptName = script, FunctionName = function, FilePath = file, LineNumber = line,
                    Category = category, Source = source, Tags = tags, SpanId = spanId, ParentSpanId = parentSpanId,
                    CorrelationId = correlationId, ExtraJson = extra, PayloadJson = payload, Exception = exception, Host = host,
                    Pid = pid, ThreadId = thread,
                };
            }
            if (r.TokenType != JsonTokenType.PropertyName)
            {
                return null;
            }
            var ok = true;
            if (r.ValueTextEquals("EventId"u8)) { ok = Text(ref r, out eventId); }
            else if (r.ValueTextEquals("Timestamp"u8)) { ok = r.Read() && r.TokenType == JsonTokenType.String && r.TryGetDateTimeOffset(out var t) && (timestamp = t) is not null; }
            else if (r.ValueTextEquals("Level"u8)) { ok = Text(ref r, out level); }
            else if (r.ValueTextEquals("Message"u8)) { ok = Text(ref r, out message); }
            else if (r.ValueTextEquals("MessageTemplate"u8)) { ok = Text(ref r, out template); }
            else if (r.ValueTextEquals("ExecutionId"u8)) { ok = Text(ref r, out executionId); }
            else if (r.ValueTextEquals("ScriptName"u8)) { ok = Text(ref r, out script); }
            else if (r.ValueTextEquals("FunctionName"u8)) { ok = Text(ref r, out function); }
            else if (r.ValueTextEquals("FilePath"u8)) { ok = Text(ref r, out file); }
            else if (r.ValueTextEquals("LineNumber"u8)) { ok = Number(ref r, out line); }
            else if (r.ValueTextEquals("Category"u8)) { ok = Text(ref r, out category); }
            else if (r.ValueTextEquals("Source"u8)) { ok = Text(ref r, out source); }
            else if (r.ValueTextEquals("Tags"u8)) { ok = TagList(ref r, out tags); }
            else if (r.ValueTextEquals("SpanId"u8)) { ok = Text(ref r, out spanId); }
            else if (r.ValueTextEquals("ParentSpanId"u8)) { ok = Text(ref r, out parentSpanId); }
            else if (r.ValueTextEquals("CorrelationId"u8)) { ok = Text(ref r, out correlationId); }
            else if (r.ValueTextEquals("ExtraJson"u8)) { ok = Text(ref r, out extra); }
            else if (r.ValueTextEquals("PayloadJson"u8)) { ok = Text(ref r, out payload); }
            else if (r.ValueTextEquals("Exception"u8)) { ok = Exception(ref r, out exception); }
            else if (r.ValueTextEquals("Host"u8)) { ok = Text(ref r, out host); }
            else if (r.ValueTextEquals("Pid"u8)) { ok = Number(ref r, out pid); }
            else if (r.ValueTextEquals("ThreadId"u8)) { ok = Number(ref r, out thread); }
            else { ok = false; }
            if (!ok)
            {
                return null;
            }
        }
        return null;
    }

    private static bool Text(ref Utf8JsonReader r, out string? value)
    {
        value = null;
        if (!r.Read())
        {
            return false;
        }
        if (r.TokenType == JsonTokenType.String)
        {
            value = r.GetString();
            return true;
        }
        return r.TokenType == JsonTokenType.Null;
    }

    private static bool Number(ref Utf8JsonReader r, out int? value)
    {
        value = null;
        if (!r.Read())
        {
            return false;
        }
        if (r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var v))
        {
            value = v;
            return true;
        }
        return r.TokenType == JsonTokenType.Null;
    }

    private static bool TagList(ref Utf8JsonReader r, out List<string>? tags)
    {
        tags = null;
        if (!r.Read())
        {
            return false;
        }
        if (r.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (r.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        tags = [];
        while (r.Read())
        {
            switch (r.TokenType)
            {
                case JsonTokenType.EndArray:
                    return true;
                case JsonTokenType.String:
                    tags.Add(r.GetString()!);
                    break;
                case JsonTokenType.Null:
                    tags.Add(null!);
                    break;
                default:
                    return false;
            }
        }
        return false;
    }

    private static bool Exception(ref Utf8JsonReader r, out ExceptionInfo? exception)
    {
        exception = null;
        if (!r.Read())
        {
            return false;
        }
        if (r.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (r.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        string? type = null, message = null, stack = null;
        while (r.Read())
        {
            if (r.TokenType == JsonTokenType.EndObject)
            {
                if (type is null || message is null)
                {
                    return false;
                }
                exception = new ExceptionInfo(type, message, stack);
                return true;
            }
            var ok = r.TokenType == JsonTokenType.PropertyName && (
                r.ValueTextEquals("Type"u8) ? Text(ref r, out type)
                : r.ValueTextEquals("Message"u8) ? Text(ref r, out message)
                : r.ValueTextEquals("StackTrace"u8) && Text(ref r, out stack));
            if (!ok)
            {
                return false;
            }
        }
        return false;
    }
}
