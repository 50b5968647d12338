// Job: write an EventWrite as a durable-buffer line, straight to UTF-8 JSON without the serializer's metadata walk.
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Sink.Durable;

/// <summary>
/// The buffer line of an <see cref="EventWrite"/> — the write a caller serialises itself when the queue is full —
/// written field by field with one reused <see cref="Utf8JsonWriter"/> per thread. The bytes are exactly those of
/// <c>JsonSerializer.SerializeToUtf8Bytes(write, SinkJsonContext.Default.StoreWrite)</c> (a test compares them), so
/// the replayer reads either with the same deserializer; the polymorphic serializer costs about twice as much per
/// event and two arrays (the JSON, then the line).
/// </summary>
internal static class EventLineWriter
{
    // Per thread, taken out while in use (so a re-entrant call gets its own); the buffer shrinks back after a huge event.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    private const int MaxKeptBytes = 256 * 1024;

    // The serializer's own defaults (SinkJsonContext sets no encoder and no indentation).
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Default, SkipValidation = true };

    private static readonly JsonEncodedText W = JsonEncodedText.Encode("$w");
    private static readonly JsonEncodedText EventKind = JsonEncodedText.Encode("event");
    private static readonly JsonEncodedText EventName = JsonEncodedText.Encode(nameof(EventWrite.Event));
    private static readonly JsonEncodedText EventId = JsonEncodedText.Encode(nameof(LogEventRecord.EventId));
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode(nameof(LogEventRecord.Timestamp));
    private static readonly JsonEncodedText Level = JsonEncodedText.Encode(nameof(LogEventRecord.Level));
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode(nameof(LogEventRecord.Message));
    private static readonly JsonEncodedText MessageTemplate = JsonEncodedText.Encode(nameof(LogEventRecord.MessageTemplate));
    private static readonly JsonEncodedText ExecutionId = JsonEncodedText.Encode(nameof(LogEventRecord.ExecutionId));
    private static readonly JsonEncodedText ScriptName = JsonEncodedText.Encode(nameof(LogEventRecord.ScriptName));
    private static readonly JsonEncodedText FunctionName = JsonEncodedText.Encode(nameof(LogEventRecord.FunctionName));
    private static readonly JsonEncodedText FilePath = JsonEncodedText.Encode(nameof(LogEventRecord.FilePath));
    private static readonly JsonEncodedText LineNumber = JsonEncodedText.Encode(nameof(LogEventRecord.LineNumber));
    private static readonly JsonEncodedText Category = JsonEncodedText.Encode(nameof(LogEventRecord.Category));
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode(nameof(LogEventRecord.Source));
    private static readonly JsonEncodedText Tags = JsonEncodedText.Encode(nameof(LogEventRecord.Tags));
    private static readonly JsonEncodedText SpanId = JsonEncodedText.Encode(nameof(LogEventRecord.SpanId));
    private static readonly JsonEncodedText ParentSpanId = JsonEncodedText.Encode(nameof(LogEventRecord.ParentSpanId));
    private static readonly JsonEncodedText CorrelationId = JsonEncodedText.Encode(nameof(LogEventRecord.CorrelationId));
    private static readonly JsonEncodedText ExtraJson = JsonEncodedText.Encode(nameof(LogEventRecord.ExtraJson));
    private static readonly JsonEncodedText PayloadJson = JsonEncodedText.Encode(nameof(LogEventRecord.PayloadJson));
    private static readonly JsonEncodedText Exception = JsonEncodedText.Encode(nameof(LogEventRecord.Exception));
    private static readonly JsonEncodedText Host = JsonEncodedText.Encode(nameof(LogEventRecord.Host));
    private static readonly JsonEncodedText Pid = JsonEncodedText.Encode(nameof(LogEventRecord.Pid));
    private static readonly JsonEncodedText ThreadId = JsonEncodedText.Encode(nameof(LogEventRecord.ThreadId));
    private static readonly JsonEncodedText WriteId = JsonEncodedText.Encode(nameof(StoreWrite.WriteId));
    private static readonly JsonEncodedText ExceptionType = JsonEncodedText.Encode(nameof(ExceptionInfo.Type));
    private static readonly JsonEncodedText ExceptionMessage = JsonEncodedText.Encode(nameof(ExceptionInfo.Message));
    private static readonly JsonEncodedText StackTrace = JsonEncodedText.Encode(nameof(ExceptionInfo.StackTrace));

    /// <summary>The line (JSON and a newline) of <paramref name="write"/>.</summary>
    public static byte[] Line(EventWrite write)
    {
        using var line = Rent(write);
        return line.Span.ToArray();
    }

    /// <summary>
    /// The line of <paramref name="write"/> in this thread's buffer, on loan until disposed: an overflowing caller
    /// appends it without an array per event.
    /// </summary>
    public static BufferLine Rent(EventWrite write)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        var writer = t_writer;
        t_buffer = null;
        t_writer = null;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer, Options);
        }
        else
        {
            writer.Reset(buffer);
        }
        try
        {
            Write(writer, write.Event);
            writer.Flush();
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
            return new BufferLine(buffer, writer);
        }
        catch
        {
            Return(buffer, writer);
            throw;
        }
    }

    /// <summary>Gives a loaned buffer back to this thread (unless it grew huge).</summary>
    internal static void Return(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        buffer.ResetWrittenCount();
        if (buffer.Capacity <= MaxKeptBytes)
        {
            t_buffer = buffer;
            t_writer = writer;
        }
    }

    // Same order and null handling as the serializer: declaration order, nulls left out (WhenWritingNull).
    private static void Write(Utf8JsonWriter w, LogEventRecord e)
    {
        w.WriteStartObject();
        w.WriteString(W, EventKind);
        w.WritePropertyName(EventName);
        w.WriteStartObject();
        Text(w, EventId, e.EventId);
        w.WriteString(Timestamp, e.Timestamp);
        Text(w, Level, e.Level);
        Text(w, Message, e.Message);
        Text(w, MessageTemplate, e.MessageTemplate);
        Text(w, ExecutionId, e.ExecutionId);
        Text(w, ScriptName, e.ScriptName);
        Text(w, FunctionName, e.FunctionName);
        Text(w, FilePath, e.FilePath);
        Number(w, LineNumber, e.LineNumber);
        Text(w, Category, e.Category);
        Text(w, Source, e.Source);
        if (e.Tags is { } tags)
        {
            w.WriteStartArray(Tags);
            foreach (var tag in tags)
            {
                // A null element is written as null, as the serializer does.
                w.WriteStringValue(tag);
            }
            w.WriteEndArray();
        }
        Text(w, SpanId, e.SpanId);
        Text(w, ParentSpanId, e.ParentSpanId);
        Text(w, CorrelationId, e.CorrelationId);
        Text(w, ExtraJson, e.ExtraJson);
        Text(w, PayloadJson, e.PayloadJson);
        if (e.Exception is { } ex)
        {
            w.WriteStartObject(Exception);
            Text(w, ExceptionType, ex.Type);
            Text(w, ExceptionMessage, ex.Message);
            Text(w, StackTrace, ex.StackTrace);
            w.WriteEndObject();
        }
        Text(w, Host, e.Host);
        Number(w, Pid, e.Pid);
        Number(w, ThreadId, e.ThreadId);
        w.WriteEndObject();
        // The override of WriteId is not covered by the base's [JsonIgnore], so the serializer writes it too.
        Text(w, WriteId, e.EventId);
        w.WriteEndObject();
    }

    private static void Text(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter w, JsonEncodedText name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }
}
