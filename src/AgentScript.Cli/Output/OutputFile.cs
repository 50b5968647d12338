using System.Text;
using AgentScript.Cli.Infrastructure;

namespace AgentScript.Cli.Output;

/// <summary>
/// A file a command writes (<c>export --output</c>, <c>report</c>): written to a temporary file beside the target,
/// owner-only (0600) whatever the umask because it carries the runs' content, and renamed over the target only when
/// everything was written — so a failure never leaves a partial or half-replaced file.
/// </summary>
internal sealed class OutputFile : IAsyncDisposable
{
    private readonly FileStream _stream;
    private bool _committed;

    private OutputFile(string path, string temporaryPath, FileStream stream)
    {
        Path = path;
        TemporaryPath = temporaryPath;
        _stream = stream;
        Writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
    }

    /// <summary>The file that appears on success.</summary>
    public string Path { get; }

    /// <summary>Where the content goes until <see cref="CommitAsync"/>.</summary>
    public string TemporaryPath { get; }

    /// <summary>Text writer over the temporary file (UTF-8, no BOM).</summary>
    public StreamWriter Writer { get; }

    /// <summary>Opens a temporary file for <paramref name="fullPath"/>; a usage-level failure names the file and the fix.</summary>
    public static OutputFile Create(string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            throw CliException.NotFound($"Cannot write '{fullPath}': it is a folder. Give a file name with --output.");
        }
        var directory = System.IO.Path.GetDirectoryName(fullPath) ?? ".";
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            return new OutputFile(fullPath, temporary, new FileStream(temporary, options));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.NotFound($"Cannot write '{fullPath}': {e.Message.TrimEnd('.')}. Choose a writable file with --output (its folder must exist).");
        }
    }

    /// <summary>Flushes, closes and renames the temporary file over <see cref="Path"/>.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        await Writer.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            File.Move(TemporaryPath, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.NotFound($"Cannot write '{Path}': {e.Message.TrimEnd('.')}. Choose a writable file with --output.");
        }
        _committed = true;
    }

    /// <summary>Removes the temporary file unless committed; the target is left as it was.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_committed)
        {
            return;
        }
        try
        {
            await Writer.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The write already failed; the temporary file goes anyway.
        }
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            File.Delete(TemporaryPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the name starts with a dot and ends with .tmp.
        }
    }
}
