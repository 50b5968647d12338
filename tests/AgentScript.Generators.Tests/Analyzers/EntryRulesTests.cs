using AgentScript.CodeFixes;
using AgentScript.Generators.Analyzers;
using AgentScript.Generators.Shared;

namespace AgentScript.Generators.Tests.Analyzers;

/// <summary>AGS001–AGS004, AGS010, AGS014, AGS015: the rules about entries.</summary>
public class EntryRulesTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using AgentScript;
        using AgentScript.Hosting;

        """;

    [Fact]
    public Task AGS001_unsupported_shapes_are_reported() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        static class Script
        {
            [AgentScript("a")] public static int {|AGS001:WithArgs|}(string[] args) => 0;
            [AgentScript("b")] public static int {|AGS001:Generic|}<T>() => 0;
            [AgentScript("c")] private static int {|AGS001:Hidden|}() => 0;
            [AgentScript("d")] public static async void {|AGS001:Fire|}() => await Task.Yield();
            [AgentScript("e")] public static int {|AGS001:RefParam|}(ref CancellationToken token) => 0;
            [AgentScript("g")] public static ValueTask<int>? {|AGS001:MaybeValueTask|}() => null;
            [AgentScript("h")] public static ValueTask? {|AGS001:MaybePlainValueTask|}() => null;
            [AgentScript("i")] public static Task<int>? MaybeTask() => null;
        }
        class NoDefaultCtor
        {
            public NoDefaultCtor(int x) { }
            [AgentScript("f")] public int {|AGS001:Run|}() => 0;
        }
        file static class FileLocal
        {
            [AgentScript("j")] public static int {|AGS001:InFileClass|}() => 0;
        }
        public class Outer
        {
            protected static class Inner
            {
                [AgentScript("k")] public static int {|AGS001:InProtectedClass|}() => 0;
            }
        }
        """, DiagnosticIds.UnsupportedEntrySignature);

    [Fact]
    public async Task AGS001_message_carries_the_shared_problem_text_and_supported_shapes()
    {
        var diagnostics = await AnalyzerVerifier.DiagnosticsAsync<EntryAnalyzer>(Usings + """
            static class Script
            {
                [AgentScript] public static int Run(string name) => 0;
            }
            """);
        var diagnostic = Assert.Single(diagnostics, d => d.Id == DiagnosticIds.UnsupportedEntrySignature);
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("parameter 'name' has type string", message);
        Assert.Contains("read other input from context.Arguments", message);
        Assert.Equal(DiagnosticDescriptors.HelpLinkBase + "AGS001.md", diagnostic.Descriptor.HelpLinkUri);
    }

    [Theory]
    [InlineData("class Outer { private static class Hidden { [AgentScript] public static int Run() => 0; } }", "its containing type Hidden is private", "make Hidden internal")]
    [InlineData("static class Script { [AgentScript] public static async System.Collections.Generic.IAsyncEnumerable<int> Run() { await Task.Yield(); yield return 1; } }",
        "it returns System.Collections.Generic.IAsyncEnumerable<int>", "return Task<List<T>>")]
    public async Task AGS001_message_says_what_to_change_without_listing_every_shape(string code, string problem, string fix)
    {
        var diagnostics = await AnalyzerVerifier.DiagnosticsAsync<EntryAnalyzer>(Usings + code);
        var message = Assert.Single(diagnostics, d => d.Id == DiagnosticIds.UnsupportedEntrySignature).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(problem, message);
        Assert.Contains(fix + " (the rule's help", message);
        Assert.DoesNotContain(EntrySignature.SupportedShapes, message);
    }

    [Fact]
    public Task AGS017_invalid_mode_names_are_errors() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        static class Script
        {
            [AgentScript] public static int Working() => 1;
            [AgentScript("debug")] public static int Debug() => 1;
            [AgentScript({|AGS017:" debug "|})] public static int Padded() => 1;
            [AgentScript({|AGS017:""|})] public static int Empty() => 1;
            [AgentScript({|AGS017:"help"|})] public static int Help() => 1;
            [AgentScript({|AGS017:"-x"|})] public static int Dash() => 1;
            [AgentScript({|AGS017:"a b"|})] public static int Space() => 1;
            [AgentScript("report-2.v_1")] public static int Report() => 1;
        }
        """, DiagnosticIds.InvalidModeName, DiagnosticIds.DuplicateMode);

    [Fact]
    public async Task AGS002_names_the_entry_the_generated_Main_keeps()
    {
        // B.Run is declared first, but Main keeps A.Run (the shared order is by qualified name): AGS002 must say so.
        var diagnostics = await AnalyzerVerifier.DiagnosticsAsync<EntryAnalyzer>(Usings + """
            static class B { [AgentScript("debug")] public static int Run() => 1; }
            static class A { [AgentScript("debug")] public static int Run() => 2; }
            static class C { [AgentScript] public static int Working() => 3; }
            """);
        var duplicate = Assert.Single(diagnostics, d => d.Id == DiagnosticIds.DuplicateMode);
        Assert.Equal("Mode 'debug' is declared by both 'A.Run' and 'B.Run'; the generated Main runs 'A.Run' and ignores 'B.Run'; give each [AgentScript] entry its own mode name",
            duplicate.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("B", ((Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax)duplicate.Location.SourceTree!.GetRoot(TestContext.Current.CancellationToken)
            .FindNode(duplicate.Location.SourceSpan).Ancestors().First(a => a is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax)).Identifier.ValueText);
    }

    [Fact]
    public async Task AGS004_an_entry_named_Main_is_told_to_rename_it()
    {
        var diagnostics = await AnalyzerVerifier.DiagnosticsAsync<EntryAnalyzer>(Usings + """
            static class Script
            {
                [AgentScript] public static int Main() => 1;
                [AgentScript("debug")] public static int Debug() => 1;
            }
            """);
        var message = Assert.Single(diagnostics, d => d.Id == DiagnosticIds.OwnEntryPoint).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("rename it", message);
        Assert.DoesNotContain("move this code", message);
    }

    [Fact]
    public Task AGS001_supported_shapes_are_fine() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        static class Script
        {
            [AgentScript] public static int Working() => 1;
            [AgentScript("debug")] public static void Debug() { }
            [AgentScript("a")] public static Task<string> A(CancellationToken token) => Task.FromResult("x");
            [AgentScript("b")] internal static ValueTask B(ScriptContext context, CancellationToken token) => default;
            [AgentScript("c")] public static async Task C() => await Task.Yield();
        }
        class Instance
        {
            [AgentScript("d")] public bool Run(ScriptContext context) => true;
        }
        """, DiagnosticIds.UnsupportedEntrySignature);

    [Fact]
    public Task AGS002_duplicate_modes_are_reported_on_the_entries_Main_ignores() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        static class Script
        {
            [AgentScript] public static int {|AGS002:Working|}() => 1;
            [AgentScript("working")] public static int AlsoWorking() => 2;
            [AgentScript("debug")] public static int Debug() => 3;
            [AgentScript("DEBUG")] public static int {|AGS002:Debug2|}() => 4;
        }
        """, DiagnosticIds.DuplicateMode);

    [Fact]
    public Task AGS002_distinct_modes_are_fine() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        static class Script
        {
            [AgentScript] public static int Working() => 1;
            [AgentScript("debug")] public static int Debug() => 3;
            [AgentScript("report")] public static int Report() => 4;
            public static int NotAnEntry() => 5;
        }
        """, DiagnosticIds.DuplicateMode);

    [Fact]
    public Task AGS003_missing_debug_entry_is_reported_on_the_working_entry() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        static class Script
        {
            [AgentScript("report")] public static int Report() => 4;
            [AgentScript] public static int {|AGS003:Working|}() => 1;
        }
        """, DiagnosticIds.MissingDebugEntry);

    [Fact]
    public Task AGS003_a_debug_entry_or_no_entries_at_all_is_fine() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        static class Script
        {
            [AgentScript] public static int Working() => 1;
            [AgentScript("debug")] public static int Try() => 1;
        }
        static class Helper { public static int Debug() => 0; }
        """, DiagnosticIds.MissingDebugEntry);

    [Fact]
    public Task AGS003_fix_adds_a_debug_entry_stub() => AnalyzerVerifier.FixAsync<EntryAnalyzer, MissingDebugEntryCodeFix>("""
        using AgentScript;

        static class Script
        {
            [AgentScript] public static int {|AGS003:Working|}() => 1;

            public static void Debug() { }
        }
        """, """
        using AgentScript;

        static class Script
        {
            [AgentScript] public static int Working() => 1;

            /// <summary>Debug mode (<c>dotnet run -- debug</c>): try ideas here and keep the working entry stable.</summary>
            [AgentScript("debug")]
            public static string Debug2()
            {
                // Try an idea here; move what works into the working entry.
                return "debug";
            }

            public static void Debug() { }
        }
        """, DiagnosticIds.MissingDebugEntry);

    [Fact]
    public Task AGS004_own_Main_is_reported() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        static class Script
        {
            [AgentScript] public static int Working() => 1;
            [AgentScript("debug")] public static int Debug() => 1;
        }
        static class Program
        {
            static int {|AGS004:Main|}(string[] args) => 0;
        }
        """, DiagnosticIds.OwnEntryPoint);

    [Fact]
    public Task AGS004_top_level_statements_are_reported() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>("""
        using AgentScript;
        {|AGS004:System.Console.Error.WriteLine("hi");|}
        System.Console.Error.WriteLine("again");
        static class Script
        {
            [AgentScript] public static int Working() => 1;
        }
        """, Microsoft.CodeAnalysis.OutputKind.ConsoleApplication, DiagnosticIds.OwnEntryPoint);

    [Fact]
    public Task AGS004_Main_without_entries_or_non_entry_point_Mains_are_fine() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        static class Script
        {
            [AgentScript] public static int Working() => 1;
            public static int Main(int x) => x;          // not an entry point shape
            public static string Main() => "";           // not an entry point shape
        }
        class Other { public void Main(string[] args) { } } // instance
        """, DiagnosticIds.OwnEntryPoint);

    [Fact]
    public Task AGS004_is_not_reported_in_a_project_without_entries() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>("""
        static class Program { static void Main() { } }
        """);

    [Fact]
    public Task AGS010_entries_without_a_final_response_are_reported() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        static class Script
        {
            [AgentScript] public static void {|AGS010:Working|}() { }
            [AgentScript("a")] public static Task {|AGS010:A|}() => Task.CompletedTask;
            [AgentScript("b")] public static ValueTask {|AGS010:B|}(CancellationToken token) => default;
            [AgentScript("c")] public static Task<int> C() => Task.FromResult(1);
            [AgentScript("d")] public static object D() => new { ok = true };
        }
        """, DiagnosticIds.NoFinalResponse);

    [Fact]
    public Task AGS014_non_serialisable_responses_are_reported() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        using System.Collections.Generic;
        static class Script
        {
            [AgentScript] public static Stream {|AGS014:Working|}() => Stream.Null;
            [AgentScript("a")] public static Task<FileStream> {|AGS014:A|}() => null!;
            [AgentScript("b")] public static Func<int> {|AGS014:B|}() => () => 1;
            [AgentScript("c")] public static IntPtr {|AGS014:C|}() => IntPtr.Zero;
            [AgentScript("d")] public static Task<Task<int>> {|AGS014:D|}() => null!;
            [AgentScript("e")] public static Type {|AGS014:E|}() => typeof(int);
            [AgentScript("f")] public static System.Reflection.MethodInfo {|AGS014:F|}() => null!;
            [AgentScript("g")] public static List<Action> {|AGS014:G|}() => new();
            [AgentScript("h")] public static Dictionary<string, Stream>[] {|AGS014:H|}() => null!;
        }
        """, DiagnosticIds.NonSerializableResponse);

    [Fact]
    public Task AGS014_data_responses_are_fine() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        using System.Collections.Generic;
        record Result(string Name, int Count, List<string> Items);
        static class Script
        {
            [AgentScript] public static Result Working() => new("a", 1, new());
            [AgentScript("a")] public static Task<Dictionary<string, int[]>> A() => null!;
            [AgentScript("b")] public static ValueTask<bool> B() => default;
            [AgentScript("c")] public static string C() => "";
            [AgentScript("d")] public static byte[] D() => Array.Empty<byte>();
            [AgentScript("e")] public static DateTimeOffset E() => default;
        }
        """, DiagnosticIds.NonSerializableResponse);

    [Fact]
    public Task AGS015_script_class_without_summary_is_reported() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        // Just a comment, not a summary.
        static class {|AGS015:Script|}
        {
            [AgentScript] public static int Working() => 1;
            [AgentScript("debug")] public static int Debug() => 1;
        }
        /// <summary>Counts things.</summary>
        static class {|AGS015:Partial|}
        {
            [AgentScript("other")] public static int Other() => 1;
        }
        """, DiagnosticIds.MissingScriptSummary);

    [Fact]
    public Task AGS015_a_complete_summary_or_classes_without_entries_are_fine() => AnalyzerVerifier.AnalyzeAsync<EntryAnalyzer>(Usings + """
        /// <summary>
        /// Purpose: counts rows. Sample input: none. Expected output: {"rows": 3}.
        /// </summary>
        static partial class Script
        {
            [AgentScript] public static int Working() => 1;
        }
        static partial class Script
        {
            [AgentScript("debug")] public static int Debug() => 1;
        }
        static class Helper { public static int Value() => 1; }
        """, DiagnosticIds.MissingScriptSummary);

    [Fact]
    public Task AGS015_fix_inserts_a_skeleton_and_fixes_all() => AnalyzerVerifier.FixAsync<EntryAnalyzer, ScriptSummaryCodeFix>("""
        using AgentScript;

        namespace Demo
        {
            [System.Obsolete]
            static class {|AGS015:Script|}
            {
                [AgentScript] public static int Working() => 1;
            }

            static class {|AGS015:More|}
            {
                [AgentScript("debug")] public static int Debug() => 1;
            }
        }
        """, """
        using AgentScript;

        namespace Demo
        {
            /// <summary>
            /// Purpose: what this script does and why.
            /// Sample input: the arguments, files or environment it reads, e.g. <c>dotnet run -- debug</c>.
            /// Expected output: the final response it returns, e.g. <c>{ "ok": true }</c>.
            /// </summary>
            [System.Obsolete]
            static class Script
            {
                [AgentScript] public static int Working() => 1;
            }

            /// <summary>
            /// Purpose: what this script does and why.
            /// Sample input: the arguments, files or environment it reads, e.g. <c>dotnet run -- debug</c>.
            /// Expected output: the final response it returns, e.g. <c>{ "ok": true }</c>.
            /// </summary>
            static class More
            {
                [AgentScript("debug")] public static int Debug() => 1;
            }
        }
        """, DiagnosticIds.MissingScriptSummary);

    [Fact]
    public async Task Nothing_is_reported_without_a_reference_to_AgentScript()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<EntryAnalyzer, Microsoft.CodeAnalysis.Testing.DefaultVerifier>
        {
            TestCode = """
                namespace AgentScript { class AgentScript2Attribute : System.Attribute { } }
                static class Program { [AgentScript.AgentScript2] static void Main() { } }
                """,
            ReferenceAssemblies = new Microsoft.CodeAnalysis.Testing.ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(AnalyzerTestReferences.All.Where(r => !r.Display!.EndsWith("AgentScript.dll", StringComparison.Ordinal)));
        await test.RunAsync(TestContext.Current.CancellationToken);
    }
}
