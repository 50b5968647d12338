using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentScript.Generators.Tests.Analyzers;

/// <summary>
/// The analyzers in a real <c>dotnet build</c>: a throw-away script project with one violation of each rule (each marked
/// with a <c>// AGSxxx</c> comment on its line) must report exactly those ids at exactly those lines.
/// </summary>
public class BuildOutputTests
{
    private static readonly Regex DiagnosticLine = new(@"^(?<file>[^\s(][^(]*)\((?<line>\d+),(?<col>\d+)\): (?<severity>error|warning|info) (?<id>AGS\d{3}): (?<message>.*?)(?: \[[^\]]*\])?$", RegexOptions.Multiline);

    private const string Program = """
        Script.Noop(); // AGS004

        """;

    private const string ScriptSource = """
        using AgentScript;
        using AgentScript.Hosting;
        using Microsoft.Data.Sqlite;
        using Serilog;

        public static class Script // AGS015
        {
            [AgentScript]
            public static int Working(ScriptContext context) // AGS003
            {
                Console.WriteLine("hello"); // AGS005
                AgentLog.StartRun("manual"); // AGS007
                Log.Information($"Got {context.Arguments.Count} arguments"); // AGS011
                return 1;
            }

            [AgentScript("bad")]
            public static int Bad(string name) => name.Length; // AGS001

            [AgentScript("report")]
            public static int Report() => 1;

            [AgentScript("-x")] // AGS017
            public static int Dash() => 1;

            [AgentScript("report")]
            public static int Report2() => 2; // AGS002

            [AgentScript("quiet")]
            public static void Quiet() { } // AGS010

            [AgentScript("raw")]
            public static Stream Raw() => Stream.Null; // AGS014

            public static void Noop()
            {
                var steps = new Steps();
                steps.Step();
                steps.Self(1);
                Steps.Locals(1, 2);
                Steps.TryRead("1", out _);
                _ = "x".Doubled();
            }

            public static void Configure() => Log.Logger = new LoggerConfiguration().CreateLogger(); // AGS006

            public static async void Fire() => await Task.Yield(); // AGS008

            [AgentScriptLogging]
            private static void Logging(LoggerConfiguration configuration) { } // AGS018

            public const string ApiToken = "tok-123"; // AGS009

            public static void Delete(SqliteConnection connection, string id)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM t WHERE id = '" + id + "'"; // AGS012
            }
        }

        /// <summary>Steps; no entries here, so no summary rule (input/output not needed).</summary>
        public class Steps
        {
            [Traced] public virtual void Step() { }
            [Traced] private void Hidden() { } // AGS013
            [Traced] public int Self(int @this) => @this;
            [Traced] public static int Locals(int __span, int __result) => __span + __result;
            [Traced] public static bool TryRead(string text, out int value) => int.TryParse(text, out value);
        }

        public static class StringSteps
        {
            extension(string s)
            {
                [Traced] public int Doubled() => s.Length * 2; // AGS013
            }
        }
        """;

    // The runtime library may not have AgentLog yet; a local one is enough for the rule (it matches by metadata name).
    private const string AgentLogSource = """
        namespace AgentScript
        {
            public static class AgentLog
            {
                public static string StartRun(string scriptName) => scriptName;
            }
        }
        """;

    [Fact]
    public async Task A_script_breaking_every_rule_gets_exactly_the_expected_diagnostics()
    {
        var root = RuleDocsTests.RepositoryRoot();
        var dir = Directory.CreateTempSubdirectory("agentscript-analyzers-");
        try
        {
            var hasAgentLog = typeof(AgentScriptAttribute).Assembly.GetType("AgentScript.AgentLog") != null;
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Violations.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <!-- CS7022: the generator's Main (when it runs) is ignored next to top-level statements; that is the AGS004 case. -->
                    <NoWarn>$(NoWarn);CS0436;CS7022;CS1591</NoWarn>
                    <InterceptorsNamespaces>$(InterceptorsNamespaces);AgentScript.Generated</InterceptorsNamespaces>
                    <!-- Here, not as a global -p: a global TreatWarningsAsErrors reaches the referenced projects' restore and
                         rewrites their project.assets.json while other test projects build from them. -->
                    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{root}/src/AgentScript/AgentScript.csproj" />
                    <ProjectReference Include="{root}/src/AgentScript.Generators/AgentScript.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                  </ItemGroup>
                </Project>
                """, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, ".editorconfig"), """
                root = true
                [*.cs]
                dotnet_diagnostic.AGS010.severity = warning
                dotnet_diagnostic.AGS015.severity = warning
                """, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Program.cs"), Program, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "Script.cs"), ScriptSource, TestContext.Current.CancellationToken);
            if (!hasAgentLog)
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, "AgentLog.cs"), AgentLogSource, TestContext.Current.CancellationToken);

            var output = await BuildAsync(dir.FullName, Path.Combine(dir.FullName, "Violations.csproj"));

            var expected = Expected("Program.cs", Program).Concat(Expected("Script.cs", ScriptSource)).ToHashSet();
            var actual = Parse(output, dir.FullName);
            Assert.True(expected.SetEquals(actual),
                "Expected:\n" + string.Join("\n", expected.Order()) + "\nActual:\n" + string.Join("\n", actual.Order()) + "\n--- build output ---\n" + output);
            // Every rule but AGS016 (tested elsewhere).
            Assert.Equal(Generators.Analyzers.DiagnosticDescriptors.All.Length - 1, expected.Select(e => e.Split(' ')[2]).Distinct().Count());

            // Messages arrive formatted: no "{0}" placeholders left, and each names a next step.
            foreach (Match m in DiagnosticLine.Matches(output))
                Assert.DoesNotMatch(@"\{\d\}", m.Groups["message"].Value);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_samples_build_without_AGS_diagnostics()
    {
        var root = RuleDocsTests.RepositoryRoot();
        var samples = Directory.Exists(Path.Combine(root, "samples"))
            ? Directory.GetFiles(Path.Combine(root, "samples"), "*.csproj", SearchOption.AllDirectories)
            : [];
        if (samples.Length == 0)
            Assert.Skip("No sample project in samples/ on this branch yet.");
        foreach (var sample in samples)
        {
            var output = await BuildAsync(Path.GetDirectoryName(sample)!, sample);
            var found = Parse(output, Path.GetDirectoryName(sample)!);
            Assert.True(found.Count == 0, sample + " reports: " + string.Join(", ", found));
        }
    }

    /// <summary>"File.cs 12 AGS005" for every line carrying a <c>// AGSxxx</c> marker.</summary>
    private static IEnumerable<string> Expected(string file, string source) =>
        source.Split('\n').Select((line, index) => (line, index))
            .SelectMany(x => Regex.Matches(x.line, @"// (AGS\d{3})").Select(m => $"{file} {x.index + 1} {m.Groups[1].Value}"));

    private static HashSet<string> Parse(string output, string dir) =>
        DiagnosticLine.Matches(output)
            .Where(m => Path.GetFullPath(m.Groups["file"].Value.Trim()).StartsWith(Path.GetFullPath(dir), StringComparison.Ordinal))
            .Select(m => $"{Path.GetFileName(m.Groups["file"].Value.Trim())} {m.Groups["line"].Value} {m.Groups["id"].Value}")
            .ToHashSet();

    private static async Task<string> BuildAsync(string workingDirectory, string project)
    {
        // Build the referenced projects in the configuration the tests were built in, without rebuilding them (they are
        // up to date: this test project references them), and leave no compiler server or MSBuild node running.
        // bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "build", project, "-c", configuration, "-p:BuildProjectReferences=false", "-p:UseSharedCompilation=false",
                     "-nodeReuse:false", "-clp:NoSummary", "-v:q" })
            start.ArgumentList.Add(arg);
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new StringBuilder().Append(await stdout).Append(await stderr).ToString();
    }
}
