// Job: measure what waits in a buffer folder (files, bytes not yet replayed, dead letters) without changing it.
using AgentScript.Sink.Durable;

namespace AgentScript.Sink;

/// <summary>What is waiting in a durable buffer folder.</summary>
/// <param name="Files">Buffer files present.</param>
/// <param name="TotalBytes">Their size on disk.</param>
/// <param name="PendingBytes">Bytes after the bookmarks (not yet replayed).</param>
/// <param name="DeadLetterBytes">Size of the dead-letter file.</param>
internal sealed record BufferBacklog(int Files, long TotalBytes, long PendingBytes, long DeadLetterBytes)
{
    /// <summary>The backlog of <paramref name="directory"/> now (bookmarks taken into account).</summary>
    internal static BufferBacklog Inspect(string directory)
    {
        var files = 0;
        long total = 0;
        long pending = 0;
        long deadLetter = 0;
        try
        {
            if (!Directory.Exists(directory))
            {
                return new BufferBacklog(0, 0, 0, 0);
            }
            foreach (var file in Directory.EnumerateFiles(directory, BufferFileSet.Pattern))
            {
                try
                {
                    var length = new FileInfo(file).Length;
                    var done = Math.Min(Bookmark.Read(Bookmark.PathOf(file)), length);
                    files++;
                    total += length;
                    pending += length - done;
                }
                catch (IOException)
                {
                    // Deleted while we looked: replayed.
                }
            }
            var dl = new FileInfo(Path.Combine(directory, DeadLetterFile.FileName));
            deadLetter = dl.Exists ? dl.Length : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Report what we could see.
        }
        return new BufferBacklog(files, total, pending, deadLetter);
    }
}
