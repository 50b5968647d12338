namespace AgentScript.Storage;

/// <summary>
/// Creates the folders AgentScript keeps its data in — each missing level owner-only (0700) whatever the umask, so
/// that a data home it has to create (for example <c>$XDG_DATA_HOME</c>) is as private as the store inside it.
/// </summary>
internal static class PrivateDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="directory"/> and its missing parents; existing folders are left as they are.</summary>
    public static void Create(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }
        // Directory.CreateDirectory(path, mode) gives the mode to the last level only; parents follow the umask.
        var parent = Path.GetDirectoryName(Path.GetFullPath(directory));
        if (!string.IsNullOrEmpty(parent))
        {
            Create(parent);
        }
        Directory.CreateDirectory(directory, OwnerOnly);
    }
}
