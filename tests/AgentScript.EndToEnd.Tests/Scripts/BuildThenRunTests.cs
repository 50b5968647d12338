using System.Text.Json;
using AgentScript.EndToEnd.Tests.Infrastructure;

namespace AgentScript.EndToEnd.Tests.Scripts;

/// <summary>
/// The documented way to run a script — <c>dotnet build</c>, then <c>dotnet run --no-build -- &lt;mode&gt;</c> — with a
/// real script that has a compiler warning: the warning stays in the build step, stdout of the run is exactly the
/// final response (the same text <c>agentlog latest --raw</c> gives back), and a broken build is told apart from a
/// failed run by which step fails.
/// </summary>
public sealed class BuildThenRunTests
{
    private const string ScriptName = "E2EWarn";

    private const string Script = """
        using AgentScript;
        using AgentScript.Hosting;

        namespace E2EWarn;

        public sealed record Answer(string Mode, int Value, string ExecutionId);

        public static class Entries
        {
            [AgentScript(Description = "Working entry")]
            public static Answer Working(ScriptContext context) => new(context.Mode, 1, context.ExecutionId);

            [AgentScript("debug", Description = "Debug entry with a compiler warning")]
            public static Answer Debug(ScriptContext context)
            {
                int unused; // CS0168: a warning the build prints
                return new Answer(context.Mode, 42, context.ExecutionId);
            }

            [AgentScript("fail", Description = "A failed run")]
            public static bool Fail() => false;
        }
        """;

    [Fact]
    public async Task Build_then_run_no_build_keeps_warnings_out_of_the_response_and_tells_build_failures_apart()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Path.Combine(Path.GetTempPath(), "agentscript-e2e-warn-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            await ScriptProject.WriteAsync(dir, ScriptName, warningsAsErrors: false, ct);
            var scriptFile = Path.Combine(dir, "Script.cs");
            await File.WriteAllTextAsync(scriptFile, Script, ct);
            var store = Path.Combine(dir, "store", "agentlog.db");
            var env = ProcessRunner.CleanEnvironment(new Dictionary<string, string?>
            {
                ["AGENTSCRIPT_STORE"] = "sqlite:" + store,
                ["LOG_BUFFER_DIR"] = Path.Combine(dir, "buffer"),
                ["XDG_DATA_HOME"] = Path.Combine(dir, "data"),
            });
            Task<ProcessResult> Run(string file, params string[] args) =>
                ProcessRunner.RunAsync(file, args, dir, env, TimeSpan.FromMinutes(8), ct);

            // 1. The build step: the warning is printed here, and the build succeeds.
            var build = await Run("dotnet", "build", "-nologo", "-c", RepoPaths.Configuration, ScriptProject.UseBuiltReferences);
            Assert.True(build.ExitCode == 0, build.Describe());
            Assert.Contains("CS0168", build.StdOut + build.StdErr);

            // 2. The run step: stdout is the final response and nothing else.
            var debug = await Run("dotnet", "run", "--no-build", "-c", RepoPaths.Configuration, "--", "debug");
            Assert.True(debug.ExitCode == 0, debug.Describe());
            Assert.DoesNotContain("warning", debug.StdOut, StringComparison.OrdinalIgnoreCase);
            using var response = JsonDocument.Parse(debug.StdOut);
            Assert.Equal(42, response.RootElement.GetProperty("Value").GetInt32());
            var executionId = response.RootElement.GetProperty("ExecutionId").GetString()!;

            // 3. The stored response, exactly: what the run printed is what agentlog gives back.
            var raw = await Run("dotnet", RepoPaths.AgentLogDll, "latest", "--execution-id", executionId, "--raw");
            Assert.True(raw.ExitCode == 0, raw.Describe());
            Assert.Equal("", raw.StdErr);
            Assert.Equal(debug.StdOut.Trim(), raw.StdOut.Trim());

            // 4. A failed run exits 1 from the run step; a broken build exits non-zero from the build step.
            var failed = await Run("dotnet", "run", "--no-build", "-c", RepoPaths.Configuration, "--", "fail");
            Assert.True(failed.ExitCode == 1, failed.Describe());
            await File.WriteAllTextAsync(scriptFile, Script.Replace("return new Answer(context.Mode, 42", "return new Answer(context.Mode, \"not a number\"", StringComparison.Ordinal), ct);
            var broken = await Run("dotnet", "build", "-nologo", "-c", RepoPaths.Configuration, ScriptProject.UseBuiltReferences);
            Assert.True(broken.ExitCode != 0, broken.Describe());
            Assert.Contains("error CS", broken.StdOut + broken.StdErr);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
