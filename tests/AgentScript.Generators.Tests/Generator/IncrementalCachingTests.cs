using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentScript.Generators.Tests.Generator;

/// <summary>
/// Runs the driver twice with step tracking (the pattern of dotnet/runtime's LoggerMessage generator tests): an
/// unrelated edit must leave every step cached or unchanged; an edit to an entry or a traced call re-runs its steps.
/// </summary>
public sealed class IncrementalCachingTests
{
    private const string EntryFile = """
        using AgentScript;
        namespace Demo;
        public static class Script
        {
            [AgentScript(Description = "first")]
            public static int Working() => Helpers.Compute();

            [AgentScriptLogging]
            public static void Logging(Serilog.LoggerConfiguration configuration) { }
        }
        """;

    private const string HelperFile = """
        namespace Demo;
        public static class Helpers
        {
            public static int Compute() => 41;
        }
        """;

    private const string TracedFile = """
        using AgentScript;
        namespace Demo;
        public static class Tools
        {
            [Traced]
            public static int Twice(int x) => x * 2;

            public static int Use() => Twice(21);
        }
        """;

    /// <summary>All tracking names declared by the generator, read from its constants class.</summary>
    private static readonly string[] AllSteps = typeof(Generators.Generator.AgentScriptGenerator).Assembly
        .GetType("AgentScript.Generators.Generator.TrackingNames", throwOnError: true)!
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void Every_tracking_name_is_used_by_a_step()
    {
        var (driver, compilation) = FirstRun();
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        Assert.NotEmpty(AllSteps);
        foreach (var name in AllSteps)
            Assert.True(steps.ContainsKey(name), $"step {name} was not tracked");
        Assert.Equal(2, driver.GetRunResult().GeneratedTrees.Length);
        GC.KeepAlive(compilation);
    }

    [Fact]
    public void Unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        var (driver, compilation) = FirstRun();
        var edited = Replace(compilation, "Helpers.cs", HelperFile.Replace("41", "42", StringComparison.Ordinal));

        var second = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        foreach (var name in AllSteps)
            AssertAll(second, name, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        foreach (var output in second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output step was {output.Reason}");
    }

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_cached_or_unchanged()
    {
        var (driver, compilation) = FirstRun();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Demo; public sealed class Extra { public int Value => 1; }", GeneratorHarness.ParseOptions, "Extra.cs",
            cancellationToken: TestContext.Current.CancellationToken));

        var second = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        foreach (var name in AllSteps)
            AssertAll(second, name, IncrementalStepRunReason.New, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        // The new file has no invocation of a traced method and no entry: nothing downstream may change.
        AssertAll(second, "AgentScript.Program", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAll(second, "AgentScript.CollectedTracedCalls", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void Editing_an_entry_reruns_the_entry_steps_only()
    {
        var (driver, compilation) = FirstRun();
        var edited = Replace(compilation, "Script.cs", EntryFile.Replace("first", "second", StringComparison.Ordinal));

        var run = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult();
        var second = run.Results.Single();

        Assert.Contains(Reasons(second, "AgentScript.Entries"), r => r == IncrementalStepRunReason.Modified);
        Assert.Contains(Reasons(second, "AgentScript.Program"), r => r == IncrementalStepRunReason.Modified);
        AssertAll(second, "AgentScript.CollectedTracedCalls", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAll(second, "AgentScript.LoggingHooks", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.Contains("\"second\"", run.GeneratedTrees.Single(t => t.FilePath.EndsWith("AgentScript.Program.g.cs", StringComparison.Ordinal)).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_traced_call_site_reruns_the_traced_steps_only()
    {
        var (driver, compilation) = FirstRun();
        var edited = Replace(compilation, "Tools.cs", TracedFile.Replace("Twice(21)", "Twice(20) + Twice(1)", StringComparison.Ordinal));

        var run = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult();
        var second = run.Results.Single();

        Assert.Contains(Reasons(second, "AgentScript.TracedCalls"), r => r is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        Assert.Contains(Reasons(second, "AgentScript.CollectedTracedCalls"), r => r == IncrementalStepRunReason.Modified);
        AssertAll(second, "AgentScript.Program", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        var interceptors = run.GeneratedTrees.Single(t => t.FilePath.EndsWith("AgentScript.Traced.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Equal(2, interceptors.Split("InterceptsLocation(1,").Length - 1);
    }

    private static (GeneratorDriver Driver, Compilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.Compile(OutputKind.ConsoleApplication,
            ("Script.cs", EntryFile), ("Helpers.cs", HelperFile), ("Tools.cs", TracedFile));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Equal(2, first.GeneratedSources.Length);
        return (driver, compilation);
    }

    private static Compilation Replace(Compilation compilation, string path, string text)
    {
        var old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path));
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps.TryGetValue(step, out var runs)
            ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason)
            : [];

    private static void AssertAll(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
        foreach (var reason in Reasons(result, step))
            Assert.True(allowed.Contains(reason), $"step {step} output was {reason}, expected one of {string.Join(", ", allowed)}");
    }
}
