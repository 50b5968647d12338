using System.Text.Json;
using System.Text.RegularExpressions;
using AgentScript.EndToEnd.Tests.Infrastructure;

namespace AgentScript.EndToEnd.Tests;

/// <summary>
/// The product as a new user meets it, with real processes only: scripts/install-local.sh packs the packages into
/// a local feed and installs the templates and the agentlog tool (into a temp HOME, with a fresh NuGet cache);
/// `dotnet new agentscript` creates a project that builds with zero warnings, runs both entries, prints its final
/// response and records its runs; a deliberate exception fails the run with exit code 1 and `agentlog errors`
/// shows it with context; the single-file variant records its run too.
/// </summary>
public sealed class TemplateEndToEndTests : IDisposable
{
    // Generous: on a loaded shared machine a cold restore and pack took 8 minutes; alone it takes about one.
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(20);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "agentscript-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Dictionary<string, string?> _env;
    private readonly string _agentlog;

    public TemplateEndToEndTests()
    {
        var home = Path.Combine(_root, "home");
        Directory.CreateDirectory(Path.Combine(home, ".nuget", "NuGet"));
        // Keep the machine's NuGet sources (third-party packages come from there); only the cache and HOME are fresh.
        var userConfig = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "NuGet", "NuGet.Config");
        if (File.Exists(userConfig))
        {
            File.Copy(userConfig, Path.Combine(home, ".nuget", "NuGet", "NuGet.Config"));
        }
        _env = ProcessRunner.CleanEnvironment(new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
            ["XDG_DATA_HOME"] = Path.Combine(_root, "xdg"),
            ["NUGET_PACKAGES"] = Path.Combine(_root, "packages"),
            ["AGENTSCRIPT_STORE"] = "sqlite:" + Path.Combine(_root, "e2e.db"),
            ["LOG_BUFFER_DIR"] = Path.Combine(_root, "buffer"),
            ["NO_COLOR"] = "1",
        });
        _agentlog = Path.Combine(home, ".dotnet", "tools", "agentlog");
    }

    [Fact]
    public async Task New_user_path_from_install_script_to_errors_with_context()
    {
        var ct = TestContext.Current.CancellationToken;

        // 1. Install: pack into a local feed, register it, install templates and the global tool.
        var install = await Run("bash", [RepoPaths.InstallScript, Path.Combine(_root, "feed")], RepoPaths.Root, ct);
        Assert.True(install.ExitCode == 0, install.Describe());
        Assert.True(File.Exists(_agentlog), $"agentlog was not installed at {_agentlog}.\n{install.Describe()}");

        // 2. A new project from the template builds with zero warnings.
        var work = Path.Combine(_root, "work");
        Directory.CreateDirectory(work);
        var created = await Run("dotnet", ["new", "agentscript", "-n", "E2eScript"], work, ct);
        Assert.True(created.ExitCode == 0, created.Describe());
        var project = Path.Combine(work, "E2eScript");
        Assert.True(File.Exists(Path.Combine(project, ".env.example")), "the template made no .env.example");
        var build = await Run("dotnet", ["build", "-tl:off", "-nologo"], project, ct);
        Assert.True(build.ExitCode == 0, build.Describe());
        Assert.Matches(@"\b0 Warning\(s\)", build.StdOut);
        Assert.DoesNotMatch(@": warning [A-Z]+\d+", build.StdOut);

        // 3. Both entries run; stdout is the final response JSON.
        var working = await Run("dotnet", ["run", "--no-build"], project, ct);
        Assert.True(working.ExitCode == 0, working.Describe());
        var response = ParseFinalResponse(working);
        Assert.Equal(9, Property(response, "totalWords").GetInt32());
        Assert.Equal(8, Property(response, "distinctWords").GetInt32());
        var debug = await Run("dotnet", ["run", "--no-build", "--", "debug"], project, ct);
        Assert.True(debug.ExitCode == 0, debug.Describe());
        Assert.Equal(6, Property(ParseFinalResponse(debug), "totalWords").GetInt32());

        // 4. agentlog finds both runs, their summary, the latest response and the logged words.
        var runs = await AgentLog(["runs", "--script", "E2eScript", "--json"], work, ct);
        var ids = ExecutionIds("E2eScript", runs.StdOut);
        Assert.True(ids.Count == 2, $"expected the 2 runs of E2eScript, found {ids.Count}.\n{runs.Describe()}");
        foreach (var id in ids)
        {
            var show = await AgentLog(["show", id, "--json"], work, ct);
            Assert.Contains(id, show.StdOut);
            Assert.Contains("success", show.StdOut, StringComparison.OrdinalIgnoreCase);
        }
        var latest = await AgentLog(["latest", "E2eScript", "--json"], work, ct);
        Assert.Contains("distinctWords", latest.StdOut, StringComparison.OrdinalIgnoreCase);
        var search = await AgentLog(["search", "distinct", "--script", "E2eScript", "--json"], work, ct);
        Assert.Contains(ids, id => search.StdOut.Contains(id, StringComparison.Ordinal));
        var learnings = await AgentLog(["learnings", "--script", "E2eScript", "--json"], work, ct);
        Assert.Contains("stop words", learnings.StdOut, StringComparison.OrdinalIgnoreCase);
        // Running the debug entry again does not record the same learning again.
        var again = await Run("dotnet", ["run", "--no-build", "--", "debug"], project, ct);
        Assert.True(again.ExitCode == 0, again.Describe());
        var learningsAgain = await AgentLog(["learnings", "--script", "E2eScript", "--json"], work, ct);
        using (var doc = JsonDocument.Parse(learningsAgain.StdOut))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("count").GetInt32());
        }

        // 5. Make the debug entry throw: the run fails with exit code 1, and `errors` shows the exception with context.
        var scriptFile = Path.Combine(project, "E2eScript.cs");
        var code = await File.ReadAllTextAsync(scriptFile, ct);
        const string anchor = "var report = WordCounter.Count(string.Join(' ', words), top: 3);";
        Assert.Contains(anchor, code);
        code = code.Replace(anchor, "if (words.Any()) throw new InvalidOperationException(\"Deliberate end-to-end failure\");\n        " + anchor, StringComparison.Ordinal);
        await File.WriteAllTextAsync(scriptFile, code, ct);
        var failing = await Run("dotnet", ["run", "--", "debug"], project, ct);
        Assert.True(failing.ExitCode == 1, "a throwing entry must exit with 1.\n" + failing.Describe());

        var failedRuns = await AgentLog(["runs", "--script", "E2eScript", "--status", "failed", "--json"], work, ct);
        var failedId = Assert.Single(ExecutionIds("E2eScript", failedRuns.StdOut));
        var errors = await AgentLog(["errors", failedId, "--json"], work, ct);
        Assert.Contains("InvalidOperationException", errors.StdOut);
        Assert.Contains("Deliberate end-to-end failure", errors.StdOut);
        using (var doc = JsonDocument.Parse(errors.StdOut))
        {
            // Context: the events of the run before the error (run start, progress) come with it.
            Assert.True(LongestArray(doc.RootElement, "before") > 0, "errors --json has no events before the error.\n" + errors.Describe());
        }

        // 6. The single-file variant: `dotnet run name.cs -- debug` records its run too.
        var single = Path.Combine(_root, "single");
        Directory.CreateDirectory(single);
        var newFile = await Run("dotnet", ["new", "agentscript-file", "-n", "e2e-single"], single, ct);
        Assert.True(newFile.ExitCode == 0, newFile.Describe());
        Assert.True(File.Exists(Path.Combine(single, "e2e-single.cs")), newFile.Describe());
        var fileRun = await Run("dotnet", ["run", "e2e-single.cs", "--", "debug"], single, ct);
        Assert.True(fileRun.ExitCode == 0, fileRun.Describe());
        Assert.Equal(6, Property(ParseFinalResponse(fileRun), "totalWords").GetInt32());
        var fileRuns = await AgentLog(["runs", "--script", "e2e-single", "--json"], work, ct);
        Assert.Single(ExecutionIds("e2e-single", fileRuns.StdOut));
    }

    private Task<ProcessResult> Run(string file, IEnumerable<string> args, string cwd, CancellationToken ct) =>
        ProcessRunner.RunAsync(file, args, cwd, _env, StepTimeout, ct);

    private async Task<ProcessResult> AgentLog(IEnumerable<string> args, string cwd, CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync(_agentlog, args, cwd, _env, TimeSpan.FromMinutes(1), ct);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result;
    }

    private static JsonElement ParseFinalResponse(ProcessResult run)
    {
        // stdout carries only the final response; anything else there would break an agent piping it to a parser.
        try
        {
            using var doc = JsonDocument.Parse(run.StdOut);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Assert.Fail($"stdout is not the final response JSON ({e.Message}).\n{run.Describe()}");
            throw;
        }
    }

    private static JsonElement Property(JsonElement obj, string name) =>
        obj.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } p
            ? p.Value
            : throw new Xunit.Sdk.XunitException($"The final response has no '{name}': {obj}");

    private static List<string> ExecutionIds(string script, string text) =>
        Regex.Matches(text, Regex.Escape(ExecutionIdPrefix(script)) + @"_\d{8}_\d{6}_[0-9a-f]{8}").Select(m => m.Value).Distinct().ToList();

    private static string ExecutionIdPrefix(string script) => AgentScript.Model.ExecutionIds.SafeName(script);

    private static int LongestArray(JsonElement e, string name) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Select(p =>
            string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Array
                ? Math.Max(p.Value.GetArrayLength(), LongestArray(p.Value, name))
                : LongestArray(p.Value, name)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => e.EnumerateArray().Select(x => LongestArray(x, name)).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open elsewhere; the temp folder is cleaned later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
