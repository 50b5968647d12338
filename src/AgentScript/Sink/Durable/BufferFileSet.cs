// Job: name, create and list the buffer files of a folder (and tell whose they are).
using System.Globalization;

namespace AgentScript.Sink.Durable;

/// <summary>
/// Buffer files are named <c>buffer-{writer}-{sequence}.jsonl</c>, where the writer part is the buffer's start time,
/// the process id and a random tag: a writer's files sort in the order it wrote them, and writers in the order they
/// started. Several processes may share the folder; each appends only to files it created and keeps its active file
/// open with a shared lock.
/// </summary>
internal sealed class BufferFileSet
{
    public const string FilePrefix = "buffer-";
    public const string FileExtension = ".jsonl";
    public const string ReplayLockFileName = "replay.lock";

    private readonly OwnerOnlyFile _files;
    private readonly string _writer;
    private int _sequence;

    public BufferFileSet(string directory, OwnerOnlyFile files, TimeProvider time)
    {
        Directory = Path.GetFullPath(directory);
        _files = files;
        var started = time.GetUtcNow().UtcDateTime.ToString("yyyyMMddTHHmmssfffffff", CultureInfo.InvariantCulture);
        _writer = $"{started}-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}";
    }

    /// <summary>The buffer folder (full path).</summary>
    public string Directory { get; }

    /// <summary>True when buffer files exist (written by anyone): replay is due.</summary>
    public bool HasFiles
    {
        get
        {
            try
            {
                return System.IO.Directory.Exists(Directory) && System.IO.Directory.EnumerateFiles(Directory, Pattern).Any();
            }
            catch (Exception)
            {
                return false;
            }
        }
    }

    /// <summary>The search pattern of buffer files.</summary>
    public static string Pattern => FilePrefix + "*" + FileExtension;

    /// <summary>The buffer files present now, in replay order (by name).</summary>
    public List<string> ListInOrder() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateFiles(Directory, Pattern).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The writer part of a buffer file name (without the sequence).</summary>
    public static string WriterOf(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        var dash = name.LastIndexOf('-');
        return dash > 0 ? name[..dash] : name;
    }

    /// <summary>Creates this writer's next file, open for appending; others may read it (replay) but not write it.</summary>
    public Stream CreateNext(int bufferSize = 4096)
    {
        OwnerOnlyFile.EnsureDirectory(Directory);
        var path = Path.Combine(Directory, $"{FilePrefix}{_writer}-{++_sequence:D8}{FileExtension}");
        return _files.Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize);
    }
}
