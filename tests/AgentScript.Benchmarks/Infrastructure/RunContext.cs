namespace AgentScript.Benchmarks.Infrastructure;

/// <summary>Options of one benchmark run.</summary>
/// <param name="Quick">Short smoke run: smaller data sets and fewer iterations.</param>
/// <param name="Command">The command line that produced the figures (printed in the doc).</param>
public sealed record RunContext(bool Quick, string Command)
{
    /// <summary>A scratch folder for this run, removed by the caller that created it.</summary>
    public static string NewTempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentscript-bench", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Deletes a scratch folder, ignoring what cannot be deleted.</summary>
    public static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
