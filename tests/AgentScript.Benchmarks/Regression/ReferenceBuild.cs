using System.Diagnostics;
using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Regression;

/// <summary>
/// Builds the regression harness twice: against this tree's library and against a reference commit's (a git worktree
/// of that commit with the harness copied in, so the same source is compiled against both libraries).
/// </summary>
public sealed class ReferenceBuild : IDisposable
{
    private const string HarnessFolder = "tests/AgentScript.Benchmarks.Regression";
    private readonly string _worktree;

    private ReferenceBuild(string scratch, string commit)
    {
        Scratch = scratch;
        Commit = commit;
        _worktree = Path.Combine(scratch, "reference");
    }

    public string Scratch { get; }
    public string Commit { get; }
    public string CurrentHarness => Path.Combine(Scratch, "bin-current", "AgentScript.Benchmarks.Regression.dll");
    public string ReferenceHarness => Path.Combine(Scratch, "bin-reference", "AgentScript.Benchmarks.Regression.dll");

    /// <summary>Checks out <paramref name="commit"/> and builds both harnesses; throws with the tool's output when a step fails.</summary>
    public static async Task<ReferenceBuild> CreateAsync(string commit)
    {
        var build = new ReferenceBuild(RunContext.NewTempDir("regression"), commit);
        try
        {
            await RunAsync("git", RepoPaths.Root, "worktree", "add", "--detach", build._worktree, commit);
            CopyHarness(Path.Combine(RepoPaths.Root, HarnessFolder), Path.Combine(build._worktree, HarnessFolder));
            await RunAsync("dotnet", RepoPaths.Root, "build", "-c", "Release", Path.Combine(RepoPaths.Root, HarnessFolder), "-o", Path.GetDirectoryName(build.CurrentHarness)!, "-v", "q", "-nologo");
            await RunAsync("dotnet", build._worktree, "build", "-c", "Release", Path.Combine(build._worktree, HarnessFolder), "-o", Path.GetDirectoryName(build.ReferenceHarness)!, "-v", "q", "-nologo");
            return build;
        }
        catch
        {
            build.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            RunAsync("git", RepoPaths.Root, "worktree", "remove", "--force", _worktree).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Nothing was checked out, or git refuses: the scratch folder goes anyway and `git worktree prune` cleans up.
        }
        RunContext.TryDelete(Scratch);
    }

    private static void CopyHarness(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }

    private static async Task RunAsync(string file, string directory, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var text = (await output + await error).Trim();
            throw new InvalidOperationException($"`{file} {string.Join(' ', args.Take(3))}` exited with {process.ExitCode}: {(text.Length > 400 ? text[^400..] : text)}");
        }
    }
}
