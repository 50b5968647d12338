using AgentScript.Generators.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentScript.Generators.Tests.Generator;

/// <summary>
/// The generator resolves call sites by binding a plain call alone, without nullable analysis, and everything else with
/// <c>GetSymbolInfo</c>. Over a corpus of call shapes, every call must resolve to what <c>GetSymbolInfo</c> gives (same
/// symbol, same display with nullable annotations, which the interceptor is written from), and every call in
/// <c>Plain</c> must take the short way.
/// </summary>
public sealed class CallSiteBinderTests
{
    private const string Library = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        namespace Corpus;

        public interface IService { int Run(int x); Task<int> RunAsync(int x); }

        public abstract class ServiceBase : IService
        {
            public abstract int Run(int x);
            public virtual Task<int> RunAsync(int x) => Task.FromResult(x);
            public int Shared(int x) => x;
        }

        public sealed class Service : ServiceBase
        {
            public override int Run(int x) => x;
            public override Task<int> RunAsync(int x) => Task.FromResult(x + 1);
            public Service Inner => this;
            public int Instance(int x) => x;
            public static Service Create() => new();
        }

        public static class Calls
        {
            public static int Static(int x) => x;
            public static int Over(int x) => x;
            public static int Over(long x) => (int)x;
            public static int Over(string? x) => 0;
            public static int Over(object x) => 1;
            public static int Opt(int a, int b = 2, string c = "c") => a + b;
            public static int Params(params int[] values) => values.Length;
            public static int Params(string label, params object[] values) => values.Length;
            public static void Ref(ref int x) => x++;
            public static bool TryGet(out int x) { x = 1; return true; }
            public static int In(in int x) => x;
            public static int Tuple((int A, string B) pair) => pair.A;
            public static int Text(string s) => s.Length;
            public static int Apply(Func<int, int> f) => f(1);
            public static int Callback(Func<int> f) => f();
            public static int Callback(Func<string> f) => 0;
            public static int Items(int[] items) => items.Length;
            public static int Items(List<string> items) => items.Count;
            public static int Point(Point p) => p.X;
            public static int Any(object? o) => 0;
            public static Task<int> LaterAsync(int x) => Task.FromResult(x);
        }

        public sealed record Point(int X, int Y);

        public static class Generic
        {
            public static T Id<T>(T value) => value;
            public static int Count<T>(IEnumerable<T> items) => 0;
        }

        public static class Extensions
        {
            public static string Shout(this string s) => s.ToUpperInvariant();
            public static int Twice(this Service s, int x) => 2 * x;
            public static T Echo<T>(this T value) => value;
        }

        public sealed class Box<T>
        {
            public T Value = default!;
            public T Get() => Value;
            public int Plain(int x) => x;
        }

        public class Color { public static int Paint(int x) => x; public int Shade(int x) => x; }
        """;

    /// <summary>Plain call shapes: each call in <c>Plain</c> must be resolved alone.</summary>
    private const string PlainSource = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using static Corpus.Calls;
        using Alias = Corpus.Calls;

        namespace Corpus;

        public sealed class Plain(IService injected)
        {
            private readonly Service _service = new();
            private Color Color = new();
            private int _counter;

            public Plain() : this(new Service()) { }

            public int Shapes(Service service, IService contract, ServiceBase @base, string text, object o, int[] numbers)
            {
                var total = 0;
                total += service.Run(1);
                total += contract.Run(2);
                total += @base.Run(3);
                total += @base.Shared(4);
                total += Calls.Static(5);
                total += Static(6);
                total += Alias.Static(7);
                total += this.Own(8);
                total += Own(9);
                total += _service.Instance(10);
                total += service.Inner.Instance(11);
                total += Service.Create().Run(12);
                total += Calls.Over(13);
                total += Calls.Over(14L);
                total += Calls.Over("s");
                total += Calls.Over(o);
                total += Calls.Over(null as string);
                total += Calls.Opt(1);
                total += Calls.Opt(b: 3, a: 4);
                total += Calls.Opt(1, c: "x");
                total += Calls.Params();
                total += Calls.Params(1, 2, 3);
                total += Calls.Params(numbers);
                total += Calls.Params("label", 1, "two");
                Calls.Ref(ref total);
                int got;
                if (Calls.TryGet(out got))
                    total += got;
                Calls.TryGet(out _);
                total += Calls.In(in total);
                total += Calls.Tuple((1, "b"));
                total += Calls.Text($"value {total}");
                total += Calls.Apply(Static);
                total += text.Shout().Length;
                total += Extensions.Shout(text).Length;
                total += service.Twice(2);
                total += injected.Run(15);
                total += Color.Paint(16);
                total += Color.Shade(17);
                total += Calls.Items(numbers);
                total += Calls.Any(null);
                total += Calls.Static(Calls.Static(18));
                total += Calls.Static(checked(total + 1));
                if (o is Service matched)
                    total += matched.Run(20);
                foreach (var n in numbers)
                    total += Calls.Static(n);
                switch (total)
                {
                    case 1:
                        total += Calls.Static(21);
                        break;
                }
                try { total += Calls.Static(22); }
                catch (Exception e) when (Calls.Text(e.Message) > 0) { total += Calls.Static(23); }
                finally { _counter += Calls.Static(24); }
                using (var stream = new System.IO.MemoryStream())
                    total += Calls.Static((int)stream.Length);
                lock (_service) { total += Calls.Static(25); }
                var local = service;
                total += local.Run(26);
                total += total switch { 5 => Calls.Static(32), _ => 0 };
                total += total > 3 ? Calls.Static(33) : Calls.Static(34);
                total += Calls.Text($"hole {Calls.Static(35)}");
                total += new Box<int> { Value = Calls.Static(36) }.Value;
                total += new List<int> { Calls.Static(37) }.Count;
                for (var i = Calls.Static(38); i < Calls.Static(39); i += Calls.Static(40)) { }
                switch (o)
                {
                    case int n when Calls.Static(n) > 0:
                        total += n;
                        break;
                }
                total += (o as Service)!.Run(41) + Calls.Static(42);
            #nullable disable
                total += Calls.Text(text);
            #nullable restore
                return total;
            }

            public async Task<int> AwaitAsync(Service service, IService contract)
            {
                var a = await Calls.LaterAsync(1);
                var b = await service.RunAsync(2);
                var c = await contract.RunAsync(a + b);
                return c + Calls.Static(await Calls.LaterAsync(3));
            }

            public Task<int> ArrowAsync(Service other) => other.RunAsync(4);

            public int Property => Calls.Static(27);

            public int Accessors
            {
                get { return Calls.Static(28); }
                set => _counter = Calls.Static(value);
            }

            public int this[int i] => Calls.Static(i);

            public static Plain operator +(Plain p, int x) { Calls.Static(x); return p; }

            public static explicit operator int(Plain p) => Calls.Static(29);

            public void InGeneric<T>(T value) where T : class => Calls.Any(value);

            private int Own(int x) => x;

            ~Plain() { Calls.Static(30); }

            public sealed class Nested
            {
                public int Call(Service s) => s.Run(31);
            }
        }
        """;

    /// <summary>Shapes bound with <c>GetSymbolInfo</c> (or alone, when that is exact): only equivalence is asserted.</summary>
    private const string ContextualSource = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        namespace Corpus;

        public class Contextual
        {
            private int _field = Calls.Static(1);
            public int Initialized { get; } = Calls.Static(2);
            [Obsolete(nameof(Calls))] public void Attributed() { }

            public Contextual() : this(Calls.Static(3)) { }
            public Contextual(int x) { }

            public int Shapes(Service service, List<int> list, string? maybe, int[] numbers, bool flag, dynamic d, string? unknown, List<string?> texts)
            {
                var total = 0;
                Func<int> lambda = () => Calls.Static(4);
                Func<int, int> withParameter = x => service.Run(x);
                Action anonymous = delegate { Calls.Static(5); };
                total += list.Select(x => Calls.Static(x)).Sum();
                total += (from n in numbers where Calls.Static(n) > 0 select Calls.Static(n)).Sum();
                total += Local(6);
                int Local(int x) => Calls.Static(x) + service.Run(x);

                total += Calls.Callback(() => 7);
                total += Calls.Callback(() => "s");
                total += Calls.TryGet(out var declared) ? declared : 0;
                total += Calls.TryGet(out int typed) ? typed : 0;
                total += Calls.Point(new(1, 2));
                total += Calls.Any(default);
                total += Calls.Items([1, 2, 3]);
                total += Calls.Static(flag ? 1 : 2);
                total += Calls.Static(total switch { 0 => 1, _ => 2 });
                total += Calls.Static(maybe is null ? 0 : 1);
                total += Calls.Text(maybe ?? throw new InvalidOperationException());
                total += Calls.Text(nameof(total));
                total += service?.Run(8) ?? 0;
                total += service?.Inner.Run(9) ?? 0;
                total += checked(Calls.Static(10));
                unchecked { total += Calls.Static(11); }

                // Generic methods, generic types and generic extensions: nullable analysis may re-infer type arguments.
                string? known = "text";
                total += Generic.Id(known).Length;
                total += Generic.Id<string?>(known)?.Length ?? 0;
                total += Generic.Id(maybe)?.Length ?? 0;
                total += Generic.Id(unknown)?.Length ?? 0;
                total += texts.FirstOrDefault()?.Length ?? 0;
                total += Generic.Id(new Box<string?>()).Get()?.Length ?? 0;
                total += Generic.Count(list);
                total += known.Echo().Length;
                total += list.FirstOrDefault();
                list.Add(total);
                total += new Box<string?>().Get()?.Length ?? 0;
                var box = new Box<string> { Value = "v" };
                total += box.Get().Length;
                total += new Box<int>().Plain(19);
                total += Calls.Static(Generic.Id(12));

                Calls.Any(d);
                total += Calls.Over(d);
                total += Calls.Static(13);
                return total;
            }
        }
        """;

    /// <summary>Top-level statements: a synthesized entry point, bound with <c>GetSymbolInfo</c>.</summary>
    private const string TopLevelSource = """
        using Corpus;
        var service = new Service();
        System.Console.WriteLine(service.Run(1) + Calls.Static(2));
        """;

    /// <summary>Calls that do not resolve to one method: the short way must not answer for them.</summary>
    private const string BrokenSource = """
        #nullable enable
        namespace Corpus;

        public static class Broken
        {
            public static int Amb(string s) => 0;
            public static int Amb(System.Uri u) => 0;

            public static void Calls()
            {
                Amb(null);
                Missing(1);
                Corpus.Calls.Static("not an int");
                Corpus.Calls.Static(1, 2);
                var s = new Service();
                s.Nothing();
            }
        }
        """;

    /// <summary>What the generator writes an interceptor from, with nullable annotations: it must not differ either.</summary>
    private static string? Describe(IMethodSymbol? method)
    {
        if (method is null)
            return null;
        var target = method.GetConstructedReducedFrom() ?? method;
        static string Of(ITypeSymbol type) => type.ToDisplayString(EntryReader.TypeFormat);
        return $"{Of(target.ContainingType)}.{target.Name}<{string.Join(", ", target.TypeArguments.Select(Of))}>"
            + $"({string.Join(", ", target.Parameters.Select(p => p.RefKind + " " + Of(p.Type)))}) : {Of(target.ReturnType)} [{method.MethodKind}]";
    }

    [Fact]
    public void Every_call_resolves_as_GetSymbolInfo_does_and_plain_calls_are_bound_alone()
    {
        var compilation = GeneratorHarness.Compile(OutputKind.ConsoleApplication,
            ("Library.cs", Library), ("Plain.cs", PlainSource), ("Contextual.cs", ContextualSource),
            ("TopLevel.cs", TopLevelSource), ("Broken.cs", BrokenSource));
        var errors = compilation.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath != "Broken.cs").ToList();
        Assert.Empty(errors);

        var alone = new List<string>();
        var bound = new List<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            // Separate models: what one caches (bound bodies, member models) cannot help the other.
            var reference = compilation.GetSemanticModel(tree);
            var model = compilation.GetSemanticModel(tree);
            var fast = compilation.GetSemanticModel(tree);
            foreach (var invocation in tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var expected = reference.GetSymbolInfo(invocation, TestContext.Current.CancellationToken).Symbol as IMethodSymbol;
                var actual = CallSiteBinder.Resolve(model, invocation, TestContext.Current.CancellationToken);
                var site = $"{tree.FilePath}({invocation.GetLocation().GetLineSpan().StartLinePosition.Line + 1}): {invocation}";
                Assert.True(SymbolEqualityComparer.Default.Equals(expected, actual), $"{site}: expected {expected}, resolved {actual}");
                Assert.Equal(Describe(expected), Describe(actual));

                if (CallSiteBinder.TryResolveAlone(fast, invocation, out var quick))
                {
                    Assert.True(SymbolEqualityComparer.Default.Equals(expected, quick), $"{site}: alone {quick}, expected {expected}");
                    Assert.Equal(Describe(expected), Describe(quick));
                    alone.Add(site);
                }
                else
                {
                    bound.Add(site);
                }
            }
        }

        static bool In(string file, string site) => site.StartsWith(file, StringComparison.Ordinal);
        var plainBound = bound.Where(s => In("Plain.cs", s)).ToList();
        Assert.True(plainBound.Count == 0, "Plain calls bound with GetSymbolInfo:\n" + string.Join("\n", plainBound));
        var plainAlone = alone.Count(s => In("Plain.cs", s));
        Assert.True(plainAlone >= 70, $"only {plainAlone} plain calls in the corpus");
        // Contexts the short way refuses: lambdas, local functions, queries, initializers, attributes, constructor
        // initializers, top-level statements, nameof, ?. and calls whose answer depends on nullable analysis.
        Assert.DoesNotContain(alone, s => In("TopLevel.cs", s) || In("Broken.cs", s));
        foreach (var refused in new[] { "Calls.Static(4)", "service.Run(x)", "Calls.Static(5)", "Calls.Static(1)", "Calls.Static(2)", "Calls.Static(3)",
                     "Calls.Static(x)", ".Run(8)", ".Inner.Run(9)", "Calls.Static(10)", "Calls.Static(11)", "Generic.Id(known)",
                     "known.Echo()", "list.Add(total)", "Calls.TryGet(out var declared)", "Calls.Callback(() => 7)", "Calls.Text(nameof(total))" })
            Assert.DoesNotContain(alone, s => In("Contextual.cs", s) && s.EndsWith(": " + refused, StringComparison.Ordinal));
        Assert.Contains(alone, s => s.EndsWith(": Calls.Static(13)", StringComparison.Ordinal));
    }
}
