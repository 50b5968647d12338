// Job: pack the repository's packages once per test collection, without touching the repository's own build outputs.
using System.Globalization;

namespace AgentScript.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Packs AgentScript, AgentScript.Cli and AgentScript.Templates with `dotnet pack` into a temporary feed, under one
/// unique version. Each pack builds into its own artifacts folder (<c>--artifacts-path</c>, as scripts/install-local.sh
/// does): a pack with <c>-p:PackageVersion</c> in the repository's bin/ and obj/ folders rewrote the restore files and
/// outputs that tests running in parallel build from and execute (agentlog.dll), which crashed them.
/// </summary>
public sealed class RepositoryPackages : IAsyncLifetime
{
    private static readonly string[] Projects =
        ["src/AgentScript/AgentScript.csproj", "src/AgentScript.Cli/AgentScript.Cli.csproj", "templates/AgentScript.Templates.csproj"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "agentscript-pack-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The folder holding the .nupkg and .snupkg files.</summary>
    public string Feed => Path.Combine(_root, "feed");

    /// <summary>A version no earlier run used, so the global packages folder never serves a stale copy.</summary>
    public string Version { get; } = "0.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Files of the repository's own build outputs whose write time changed while packing (should be none).</summary>
    public IReadOnlyList<string> RepositoryOutputsChanged { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        var before = RepositoryOutputs();
        var env = ProcessRunner.CleanEnvironment(new Dictionary<string, string?>());
        foreach (var project in Projects)
        {
            var pack = await ProcessRunner.RunAsync("dotnet",
                ["pack", Path.Combine(RepoPaths.Root, project), "-c", RepoPaths.Configuration, "-o", Feed,
                 "--artifacts-path", Path.Combine(_root, "artifacts"), "-p:PackageVersion=" + Version, "-nologo", "-v:q"],
                RepoPaths.Root, env, TimeSpan.FromMinutes(10), CancellationToken.None);
            if (pack.ExitCode != 0)
                throw new InvalidOperationException($"dotnet pack {project} failed.\n{pack.Describe()}");
        }
        var after = RepositoryOutputs();
        RepositoryOutputsChanged = [.. before.Where(b => !after.TryGetValue(b.Key, out var t) || t != b.Value).Select(b => b.Key)
            .Concat(after.Keys.Where(k => !before.ContainsKey(k)))];
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
            // The child processes run without NUGET_PACKAGES, so a consumer's restore used the default global packages folder.
            foreach (var id in new[] { "agentscript", "agentscript.cli", "agentscript.templates" })
            {
                var cached = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", id, Version);
                if (Directory.Exists(cached))
                    Directory.Delete(cached, recursive: true);
            }
        }
        catch (IOException)
        {
            // Leftover temp files are harmless.
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The restore files and build outputs of the repository's packable projects, with their write times.</summary>
    private static Dictionary<string, DateTime> RepositoryOutputs()
    {
        var files = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (var project in Projects.Append("src/AgentScript.Generators/AgentScript.Generators.csproj").Append("src/AgentScript.CodeFixes/AgentScript.CodeFixes.csproj"))
        {
            var dir = Path.GetDirectoryName(Path.Combine(RepoPaths.Root, project))!;
            var candidates = new List<string> { Path.Combine(dir, "obj", "project.assets.json") };
            var bin = Path.Combine(dir, "bin", RepoPaths.Configuration);
            if (Directory.Exists(bin))
                candidates.AddRange(Directory.EnumerateFiles(bin, "*.dll", SearchOption.AllDirectories));
            foreach (var file in candidates.Where(File.Exists))
                files[file] = File.GetLastWriteTimeUtc(file);
        }
        return files;
    }
}

/// <summary>Tests that use the packed packages: they share one pack.</summary>
[CollectionDefinition(Name)]
public sealed class RepositoryPackCollection : ICollectionFixture<RepositoryPackages>
{
    public const string Name = "dotnet pack of the repository";
}
