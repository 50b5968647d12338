// Job: open and write the buffer folder's own files — owner-only on Unix, through one file-system seam.
namespace AgentScript.Sink.Durable;

/// <summary>
/// Opens files for writing. The production implementation opens real files; a test replaces it to simulate a full
/// disk (a stream that throws <see cref="IOException"/> with the ENOSPC code), which needs no root and no mount.
/// </summary>
internal class BufferFileSystem
{
    /// <summary>The real file system (stateless, shared).</summary>
    public static BufferFileSystem Real { get; } = new();

    /// <summary>Opens <paramref name="path"/> with <paramref name="options"/>.</summary>
    public virtual Stream Open(string path, FileStreamOptions options) => new FileStream(path, options);
}

/// <summary>
/// Every file the buffer writes (buffer files, bookmarks, dead letters, status, the replay lock) is readable and
/// writable by its owner only: the buffer holds the same content as the store.
/// </summary>
internal sealed class OwnerOnlyFile(BufferFileSystem fileSystem)
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner-only files on the real file system.</summary>
    public static OwnerOnlyFile Real { get; } = new(BufferFileSystem.Real);

    /// <summary>Options for a file that, if created, is created owner-only.</summary>
    public static FileStreamOptions Options(FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows() && mode is not (FileMode.Open or FileMode.Truncate))
        {
            options.UnixCreateMode = OwnerReadWrite;
        }
        return options;
    }

    /// <summary>Opens (or creates, owner-only) <paramref name="path"/> through the file-system seam.</summary>
    public Stream Open(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096) =>
        fileSystem.Open(path, Options(mode, access, share, bufferSize));

    /// <summary>Replaces the content of <paramref name="path"/> (created owner-only).</summary>
    public void WriteAll(string path, ReadOnlySpan<byte> content)
    {
        using var stream = Open(path, FileMode.Create, FileAccess.Write, FileShare.None);
        stream.Write(content);
    }

    /// <summary>Creates <paramref name="directory"/> owner-only if it does not exist.</summary>
    public static void EnsureDirectory(string directory) => Storage.PrivateDirectory.Create(directory);
}
