// Job: keep writes the store refused for good (and unreadable buffer lines) in deadletter.jsonl, with the reason.
using System.Text;
using System.Text.Json;
using AgentScript.Storage;

namespace AgentScript.Sink.Durable;

/// <summary>
/// One JSON object per line: <c>{"time", "reason", "write"}</c>, or <c>"raw"</c> for a buffer line that could not be
/// parsed. A refused write is moved here so it cannot block everything behind it.
/// </summary>
internal sealed class DeadLetterFile(string directory, OwnerOnlyFile files, SinkCounters counters, SinkDiagnostics diagnostics, TimeProvider time)
{
    public const string FileName = "deadletter.jsonl";

    private readonly Lock _lock = new();

    /// <summary>Keeps a refused write with the reason.</summary>
    public void Add(StoreWrite write, string reason)
    {
        byte[] json;
        try
        {
            json = JsonSerializer.SerializeToUtf8Bytes(write, SinkJsonContext.Default.StoreWrite);
        }
        catch (Exception e)
        {
            json = JsonSerializer.SerializeToUtf8Bytes($"<unserialisable write {write.WriteId}: {e.Message}>");
        }
        Append(reason, json, isRaw: false);
    }

    /// <summary>Keeps an unreadable buffer line with the reason.</summary>
    public void AddRaw(byte[] line, string reason) => Append(reason, line, isRaw: true);

    private void Append(string reason, byte[] content, bool isRaw)
    {
        lock (_lock)
        {
            try
            {
                OwnerOnlyFile.EnsureDirectory(directory);
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    w.WriteString("time", time.GetUtcNow());
                    w.WriteString("reason", ValueSanitizer.CleanText(reason));
                    if (isRaw)
                    {
                        w.WriteString("raw", ValueSanitizer.CleanText(Encoding.UTF8.GetString(content)));
                    }
                    else
                    {
                        w.WritePropertyName("write");
                        w.WriteRawValue(content, skipInputValidation: true);
                    }
                    w.WriteEndObject();
                }
                using var fs = files.Open(Path.Combine(directory, FileName), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                fs.Write(buffer.WrittenSpan);
                fs.WriteByte((byte)'\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                diagnostics.Warn($"AgentScript: cannot write the dead-letter file in {directory}: {e.Message}. Rejected write: {reason}");
            }
        }
        counters.AddDeadLettered(1);
    }
}
