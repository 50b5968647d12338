using AgentScript.CodeFixes;
using AgentScript.Generators.Analyzers;

namespace AgentScript.Generators.Tests.Analyzers;

/// <summary>AGS007 (run lifecycle in an entry), AGS008 (async void), AGS013 ([Traced] that cannot be intercepted).</summary>
public class TemplateRulesTests
{
    [Fact]
    public Task AGS007_StartRun_and_EndRun_inside_an_entry_are_reported() => AnalyzerVerifier.AnalyzeAsync<RunLifecycleAnalyzer>("""
        using System.Threading.Tasks;
        using AgentScript;
        static class Script
        {
            [AgentScript]
            public static async Task<int> Working()
            {
                {|AGS007:AgentLog.StartRun("x")|};
                System.Action later = () => {|AGS007:AgentLog.EndRun()|};
                await {|AGS007:AgentLog.EndRunAsync()|};
                return 1;
            }
        }
        """);

    [Fact]
    public Task AGS007_calls_outside_entries_and_other_AgentLog_calls_are_fine() => AnalyzerVerifier.AnalyzeAsync<RunLifecycleAnalyzer>("""
        using AgentScript;
        static class Script
        {
            [AgentScript] public static System.Threading.Tasks.Task<object?> Working() => AgentLog.QueryAsync("SELECT 1");
            public static void Helper() { AgentLog.StartRun("manual"); AgentLog.EndRun(); }
        }
        static class Other { public static void StartRun(string s) { } [AgentScript("x")] public static int X() { StartRun("y"); return 1; } }
        """);

    [Fact]
    public Task AGS007_fix_removes_the_statements_and_fixes_all() => AnalyzerVerifier.FixAsync<RunLifecycleAnalyzer, RunLifecycleCodeFix>("""
        using System.Threading.Tasks;
        using AgentScript;
        static class Script
        {
            [AgentScript]
            public static async Task<int> Working()
            {
                {|AGS007:AgentLog.StartRun("x")|};
                var result = 1;
                await {|AGS007:AgentLog.EndRunAsync()|};
                return result;
            }
        }
        """, """
        using System.Threading.Tasks;
        using AgentScript;
        static class Script
        {
            [AgentScript]
            public static async Task<int> Working()
            {
                var result = 1;
                return result;
            }
        }
        """);

    [Fact]
    public Task AGS008_async_void_methods_and_local_functions_are_reported() => AnalyzerVerifier.AnalyzeAsync<AsyncVoidAnalyzer>("""
        using System.Threading.Tasks;
        class Script
        {
            public async void {|AGS008:Fire|}() => await Task.Delay(1);
            void Run()
            {
                async void {|AGS008:Local|}() => await Task.Yield();
                Local();
            }
            async void {|AGS008:NotAHandler|}(object sender, int value) => await Task.Yield();
        }
        """);

    [Fact]
    public Task AGS008_event_handlers_overrides_and_async_Task_are_fine() => AnalyzerVerifier.AnalyzeAsync<AsyncVoidAnalyzer>("""
        using System;
        using System.Threading.Tasks;
        interface IRunner { void Run(); }
        abstract class Base { public abstract void Go(); }
        class Script : Base, IRunner
        {
            async void OnChanged(object? sender, EventArgs e) => await Task.Yield();
            public override async void Go() => await Task.Yield();
            public async void Run() => await Task.Yield();
            async Task Work() => await Task.Yield();
            void Sync() { }
        }
        """);

    [Fact]
    public Task AGS008_fix_returns_Task_and_fixes_all() => AnalyzerVerifier.FixAsync<AsyncVoidAnalyzer, AsyncVoidCodeFix>("""
        using System.Threading.Tasks;
        class Script
        {
            public async void {|AGS008:Fire|}() => await Task.Delay(1);
            void Run()
            {
                async void {|AGS008:Local|}() { await Task.Yield(); return; }
                Local();
            }
        }
        """, """
        using System.Threading.Tasks;
        class Script
        {
            public async Task Fire() => await Task.Delay(1);
            void Run()
            {
                async Task Local() { await Task.Yield(); return; }
                Local();
            }
        }
        """);

    [Fact]
    public Task AGS008_fix_adds_the_Tasks_using_when_missing() => AnalyzerVerifier.FixAsync<AsyncVoidAnalyzer, AsyncVoidCodeFix>("""
        class Script
        {
            async void {|AGS008:Fire|}() => await System.Threading.Tasks.Task.Yield();
        }
        """, """
        using System.Threading.Tasks;

        class Script
        {
            async Task Fire() => await System.Threading.Tasks.Task.Yield();
        }
        """);

    [Fact]
    public Task AGS013_untraceable_methods_are_reported_with_the_reason() => AnalyzerVerifier.AnalyzeAsync<TracedAnalyzer>("""
        using System;
        using System.Linq;
        using System.Threading.Tasks;
        using System.Collections.Generic;
        using AgentScript;
        partial class Script
        {
            [Traced] public static async IAsyncEnumerable<int> {|AGS013:StreamAsync|}() { await Task.Yield(); yield return 1; }
            [Traced] public static T Echo<T>(T value) => value;
            public static T Twice<T>(T value) => {|AGS013:Echo(value)|};
            [Traced] private void {|AGS013:Hidden|}() { }
            [Traced] partial void {|AGS013:NoBody|}();
            [Traced] public static int Square(int x) => x * x;
            [Traced] public static Task {|AGS013:ByRef|}(ref int x) => Task.CompletedTask;
            [Traced] public static int {|AGS013:SpanArg|}(ReadOnlySpan<char> text) => text.Length;
            void Run()
            {
                [Traced] void {|AGS013:Local|}() { }
                Local();
                Func<int, int> f = {|AGS013:Square|};
                var squares = new[] { 1, 2 }.Select({|AGS013:Square|}).ToList();
                NoBody();
            }
        }
        struct Point { [Traced] public int {|AGS013:Length|}() => 0; }
        """);

    // The rule reads the names of possibly traced methods from syntax before binding anything: an attribute spelled
    // through a using alias or qualified, accessors, operators and explicit implementations must still be found.
    [Fact]
    public Task AGS013_finds_traced_methods_however_the_attribute_is_spelled_and_on_every_kind_of_method() => AnalyzerVerifier.AnalyzeAsync<TracedAnalyzer>("""
        using System;
        using Trace = AgentScript.TracedAttribute;
        interface IStep { void Step(); }
        class Script : IStep
        {
            [Trace] private void {|AGS013:Aliased|}() { }
            [global::AgentScript.Traced] private void {|AGS013:Qualified|}() { }
            [AgentScript.TracedAttribute("name")] private static int {|AGS013:LongForm|}() => 1;
            [Trace] public static int Fine(int x) => x;
            public int Value { [Trace] {|AGS013:get|} => 1; }
            [Trace] public static Script operator {|AGS013:+|}(Script a, Script b) => a;
            [Trace] void IStep.{|AGS013:Step|}() { }
            void Run()
            {
                Func<int, int> f = {|AGS013:Fine|};
                Func<int> g = {|AGS013:LongForm|};
            }
        }
        """);

    // References are found by searching the file's text for the names of traced methods, then checking the token there:
    // a name in a comment or a string, or inside a longer name, is not a reference; a verbatim or qualified name is; a
    // file that may spell an identifier with a Unicode escape is read token by token, as the compiler reads it.
    [Theory]
    [InlineData("Square")]
    [InlineData("@Square")]
    [InlineData("Script.Square")]
    [InlineData("\\u0053quare")]
    public Task AGS013_finds_a_reference_however_its_name_is_written_and_only_real_ones(string reference) => AnalyzerVerifier.AnalyzeAsync<TracedAnalyzer>($$"""
        using System;
        using AgentScript;
        class Script
        {
            [Traced] public static int Square(int x) => x * x;
            public static int SquareRoot(int x) => x;
            void Run()
            {
                /* Square */ Func<int, int> f = {|AGS013:{{reference}}|}; // Square
                Func<int, int> h = SquareRoot;
                var text = "Square";
            }
        }
        """);

    [Fact]
    public Task AGS013_interceptable_methods_are_fine() => AnalyzerVerifier.AnalyzeAsync<TracedAnalyzer>("""
        using System.Threading.Tasks;
        using AgentScript;
        class Script
        {
            [Traced] public static int Square(int x) => x * x;
            [Traced("custom")] internal async Task<int> LoadAsync() { await Task.Yield(); return 1; }
            [Traced] public void Sync(ref int x) { }
            public virtual void NotTraced() { }
            void Run()
            {
                var a = Square(2);
                var t = LoadAsync();
                System.Func<int, int> f = x => Square(x);
                var name = nameof(Square);
            }
        }
        struct Point { [Traced] public static int Zero() => 0; }
        """);

    [Fact]
    public Task AGS013_interface_virtual_and_override_methods_and_out_parameters_are_fine() => AnalyzerVerifier.AnalyzeAsync<TracedAnalyzer>("""
        using AgentScript;
        interface IStep { [Traced] void Step(); }
        abstract class Base
        {
            [Traced] public virtual void Virtual() { }
            [Traced] public abstract void Abstract();
        }
        class Script : Base, IStep
        {
            [Traced] public override void Abstract() { }
            [Traced] public static bool TryParse(string text, out int value) => int.TryParse(text, out value);
            public void Step() { }
            void Run(IStep step, Base b)
            {
                step.Step();
                b.Virtual();
                TryParse("1", out var v);
                var e = Generic.Echo(1);
            }
        }
        static class Generic { [Traced] public static T Echo<T>(T value) => value; }
        """);

    [Fact]
    public Task AGS013_a_call_bound_at_run_time_is_reported_there_and_ref_readonly_parameters_are_fine() => AnalyzerVerifier.AnalyzeAsync<TracedAnalyzer>("""
        using AgentScript;
        static class Tools
        {
            [Traced] public static int Twice(int x) => 2 * x;
            [Traced] public static long First(ref readonly (long A, long B) pair) => pair.A;
        }
        class Script
        {
            dynamic Later { get; } = 3;
            void Run(object o)
            {
                var pair = (1L, 2L);
                var a = Tools.First(in pair) + Tools.Twice(2);
                var b = {|AGS013:Tools.Twice((dynamic)o)|};
                var c = {|AGS013:Tools.Twice(Later)|};
            }
        }
        """);

    [Fact]
    public Task AGS013_a_call_whose_type_argument_the_interceptor_cannot_name_is_reported_there() => AnalyzerVerifier.AnalyzeAsync<TracedAnalyzer>("""
        using AgentScript;
        static class Tools
        {
            [Traced] public static T Echo<T>(T value) => value;
            [Traced] public static int Plain(int x) => x;
            [Traced] public static object {|AGS013:Loose|}(dynamic value) => value;
        }
        static class Box<T> { [Traced] public static T Get(T value) => value; }
        class Script
        {
            private sealed class Hidden { }
            internal sealed class Shown { }
            void Run()
            {
                var a = {|AGS013:Tools.Echo(new { A = 1 })|};
                var b = {|AGS013:Tools.Echo(new Hidden())|};
                var c = {|AGS013:Tools.Echo(new[] { new { B = 2 } })|};
                var d = {|AGS013:Box<Hidden>.Get(null!)|};
                var e = Tools.Echo(new Shown()) ?? Tools.Echo<object>(new Hidden());
                var f = Tools.Echo(5) + Tools.Plain(1) + Box<int>.Get(2);
            }
        }
        """);

    [Fact]
    public async Task AGS013_with_LangVersion_10_every_traced_method_says_to_raise_it()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<TracedAnalyzer, Microsoft.CodeAnalysis.Testing.DefaultVerifier>
        {
            TestCode = """
                using AgentScript;
                class Script { [Traced] public static int {|#0:Square|}(int x) => x * x; }
                """,
            ReferenceAssemblies = new Microsoft.CodeAnalysis.Testing.ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(AnalyzerTestReferences.All);
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectParseOptions(projectId,
            new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp10)));
        test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(DiagnosticDescriptors.UntraceableMethod).WithLocation(0)
            .WithArguments("Script.Square", "the project's C# version 10.0 is older than C# 11, which the generated interceptors need; set <LangVersion> to 11 or later (or remove it to get the SDK's default)"));
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task AGS008_async_void_lambdas_are_reported_but_not_event_handlers_or_Task_lambdas() => AnalyzerVerifier.AnalyzeAsync<AsyncVoidAnalyzer>("""
        using System;
        using System.Threading.Tasks;
        class Script
        {
            event EventHandler? Changed;
            void Run()
            {
                Action fire = {|AGS008:async|} () => await Task.Yield();
                Action<int> fireOne = {|AGS008:async|} x => await Task.Delay(x);
                Action old = {|AGS008:async|} delegate { await Task.Yield(); };
                Func<Task> fine = async () => await Task.Yield();
                Changed += async (sender, e) => await Task.Yield();
                Task.Run(async () => await Task.Yield());
            }
        }
        """);
}
