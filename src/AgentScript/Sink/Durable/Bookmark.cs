// Job: the read position of one buffer file (the byte offset up to which the store has accepted its lines).
using System.Globalization;
using System.Text;

namespace AgentScript.Sink.Durable;

/// <summary>
/// A bookmark file next to each buffer file holds the offset replay has reached. It is rewritten only after the
/// store accepted the lines before it, so a crash replays at most one batch again (the stores' inserts are
/// idempotent by id).
/// </summary>
internal static class Bookmark
{
    /// <summary>Suffix of a buffer file's bookmark.</summary>
    public const string Extension = ".bookmark";

    /// <summary>The bookmark path of <paramref name="bufferFile"/>.</summary>
    public static string PathOf(string bufferFile) => bufferFile + Extension;

    /// <summary>The offset recorded at <paramref name="path"/>; 0 when missing or unreadable.</summary>
    public static long Read(string path)
    {
        try
        {
            return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Records <paramref name="offset"/>: write-then-rename, so a crash leaves the old or the new bookmark, never half of one.</summary>
    public static void Write(OwnerOnlyFile files, string path, long offset)
    {
        var temp = path + ".tmp";
        files.WriteAll(temp, Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));
        File.Move(temp, path, overwrite: true);
    }
}
