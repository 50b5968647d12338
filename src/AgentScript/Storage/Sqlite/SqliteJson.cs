using System.Buffers;
using System.Text;
using System.Text.Json;
using AgentScript.Model;

namespace AgentScript.Storage.Sqlite;

/// <summary>The JSON text columns: exception/error, tags, counts by level, progress.</summary>
internal static class SqliteJson
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string? Exception(ExceptionInfo? exception) => exception is null ? null : Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", exception.Type);
        w.WriteString("message", exception.Message);
        if (exception.StackTrace is not null)
        {
            w.WriteString("stack_trace", exception.StackTrace);
        }
        w.WriteEndObject();
    });

    public static ExceptionInfo? ReadException(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        return new ExceptionInfo(
            GetString(root, "type") ?? "",
            GetString(root, "message") ?? "",
            GetString(root, "stack_trace"));
    }

    public static string? Tags(IReadOnlyList<string>? tags) => tags is null ? null : Write(w =>
    {
        w.WriteStartArray();
        foreach (var tag in tags)
        {
            w.WriteStringValue(tag);
        }
        w.WriteEndArray();
    });

    public static IReadOnlyList<string>? ReadTags(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Array
            ? [.. doc.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())]
            : [doc.RootElement.ToString()];
    }

    public static string Counts(IReadOnlyDictionary<string, long>? counts) => Write(w =>
    {
        w.WriteStartObject();
        if (counts is not null)
        {
            foreach (var (level, n) in counts)
            {
                w.WriteNumber(level, n);
            }
        }
        w.WriteEndObject();
    });

    public static IReadOnlyDictionary<string, long> ReadCounts(string? json)
    {
        var result = new Dictionary<string, long>();
        if (json is null)
        {
            return result;
        }
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.TryGetInt64(out var n))
                {
                    result[p.Name] = n;
                }
            }
        }
        return result;
    }

    public static string Progress(RunProgress progress) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("stage", progress.Stage);
        w.WriteNumber("percent", progress.Percent);
        w.WriteString("time", SqliteTime.Format(progress.Time));
        if (progress.MetadataJson is not null)
        {
            w.WritePropertyName("metadata");
            if (IsJson(progress.MetadataJson))
            {
                w.WriteRawValue(progress.MetadataJson, skipInputValidation: true);
            }
            else
            {
                w.WriteStringValue(progress.MetadataJson);
            }
        }
        w.WriteEndObject();
    });

    public static RunProgress? ReadProgress(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(json);
        return FromElement(doc.RootElement, null);
    }

    /// <summary>
    /// Reads a progress report from a JSON object with <c>stage</c>/<c>percent</c> (any case) — the stored
    /// <c>progress</c> column or the extra properties of a PROGRESS event.
    /// </summary>
    public static RunProgress? FromElement(JsonElement root, DateTimeOffset? fallbackTime) => Rules.ProgressRules.FromObject(root, fallbackTime);

    public static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? GetString(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Null ? null : v.GetRawText()
            : null;
}
