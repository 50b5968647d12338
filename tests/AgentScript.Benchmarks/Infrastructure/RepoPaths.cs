namespace AgentScript.Benchmarks.Infrastructure;

/// <summary>Locates the repository (the folder holding <c>Toolkit.sln</c>).</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string Docs => Path.Combine(Root, "docs");
    public static string Results => Path.Combine(Root, "artifacts", "benchmarks");

    private static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Toolkit.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (Toolkit.sln) above the current directory; run from inside the repository.");
    }
}
