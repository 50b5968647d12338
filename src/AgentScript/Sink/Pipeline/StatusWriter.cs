// Job: write status.json (counters, backlog, last error) so agentlog doctor can show them — even on a full disk.
using AgentScript.Sink.Durable;

namespace AgentScript.Sink.Pipeline;

/// <summary>
/// The status file has a fixed size (<see cref="FileSize"/> bytes: the JSON padded with spaces). It is created once
/// through a temporary file and a rename — so a full disk leaves the previous file (or none), never an empty one —
/// and from then on rewritten in place: the same blocks, so a full disk cannot refuse it and the counters (the
/// dropped count above all) survive. A write that fails anyway is retried at the next pass; counters live in memory.
/// </summary>
internal sealed class StatusWriter(string directory, OwnerOnlyFile files, TimeProvider time)
{
    /// <summary>Bytes of the status file.</summary>
    public const int FileSize = 4096;

    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private const int MaxErrorLength = 1024;
    private const int MaxDroppedRuns = 20;

    private readonly Lock _lock = new();
    private DateTimeOffset _writtenAt = DateTimeOffset.MinValue;

    /// <summary>
    /// Writes the status built by <paramref name="build"/> — at most once a second unless <paramref name="force"/>d,
    /// and (unforced) only when the buffer folder exists already.
    /// </summary>
    public void Write(Func<DateTimeOffset, SinkStatus> build, bool force)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (!force && (now - _writtenAt < MinInterval || !Directory.Exists(directory)))
            {
                return;
            }
            _writtenAt = now;
            try
            {
                var content = Render(build(now));
                OwnerOnlyFile.EnsureDirectory(directory);
                var path = Path.Combine(directory, SinkStatus.FileName);
                if (new FileInfo(path) is { Exists: true, Length: >= FileSize })
                {
                    using var stream = files.Open(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                    stream.Write(content);
                    stream.Flush();
                    if (stream.Length > FileSize)
                    {
                        stream.SetLength(FileSize);
                    }
                }
                else
                {
                    Create(path, content);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not written (disk full, folder gone): try again at the next pass; the previous file stays as it was.
                _writtenAt = DateTimeOffset.MinValue;
            }
        }
    }

    private void Create(string path, byte[] content)
    {
        var temp = path + "." + Environment.ProcessId + ".tmp";
        try
        {
            files.WriteAll(temp, content);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception)
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; the next successful create replaces the status file anyway.
        }
    }

    /// <summary>The status as exactly <see cref="FileSize"/> bytes (long texts shortened to fit).</summary>
    internal static byte[] Render(SinkStatus status)
    {
        if (status.LastError is { Length: > MaxErrorLength } error)
        {
            status = status with { LastError = error[..MaxErrorLength] + "…" };
        }
        if (status.DroppedRuns is { Count: > MaxDroppedRuns } runs)
        {
            status = status with { DroppedRuns = runs.OrderByDescending(kv => kv.Value).Take(MaxDroppedRuns).ToDictionary(StringComparer.Ordinal) };
        }
        var json = status.ToUtf8Json();
        if (json.Length >= FileSize)
        {
            json = (status with { LastError = null, DroppedRuns = null }).ToUtf8Json();
        }
        var content = new byte[FileSize];
        content.AsSpan().Fill((byte)' ');
        json.CopyTo(content, 0);
        content[^1] = (byte)'\n';
        return content;
    }
}
