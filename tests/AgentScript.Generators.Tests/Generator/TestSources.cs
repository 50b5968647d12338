namespace AgentScript.Generators.Tests.Generator;

/// <summary>Script sources the generator tests run over.</summary>
internal static class TestSources
{
    /// <summary>Every static entry shape: each parameter list and each return kind.</summary>
    public const string StaticShapes = """
        using System.Threading;
        using System.Threading.Tasks;
        using AgentScript;
        using AgentScript.Hosting;

        namespace Shapes;

        public sealed record Report(int Count, string Summary);

        public static class Entries
        {
            [AgentScript]
            public static Report Working() => new(3, "ok");

            [AgentScript("debug", Description = "Try ideas")]
            public static void Debug() { }

            [AgentScript("token")]
            public static bool Token(CancellationToken cancellationToken) => !cancellationToken.IsCancellationRequested;

            [AgentScript("context")]
            public static Task Context(ScriptContext context) => Task.CompletedTask;

            [AgentScript("both")]
            public static Task<Report> Both(CancellationToken cancellationToken, ScriptContext context) =>
                Task.FromResult(new Report(context.Arguments.Count, context.Mode));

            [AgentScript("reversed")]
            public static ValueTask Reversed(ScriptContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

            [AgentScript("value-task")]
            public static async ValueTask<string?> ValueTaskOfT(CancellationToken cancellationToken)
            {
                await Task.Yield();
                return null;
            }

            [AgentScript("async-void-task")]
            public static async Task AsyncTask()
            {
                await Task.Yield();
            }
        }
        """;

    /// <summary>Instance entries on a class and a struct, and a partial class split over two declarations.</summary>
    public const string InstanceShapes = """
        using System.Threading;
        using System.Threading.Tasks;
        using AgentScript;
        using AgentScript.Hosting;

        namespace Instances
        {
            public sealed class Script
            {
                private readonly int _seed = 40;

                [AgentScript]
                public int Working() => _seed + 2;

                [AgentScript("debug", Description = "Instance debug")]
                internal async Task<int[]> DebugAsync(ScriptContext context, CancellationToken cancellationToken)
                {
                    await Task.Delay(1, cancellationToken);
                    return new[] { _seed };
                }
            }

            public struct ValueScript
            {
                [AgentScript("struct")]
                public ValueTask Run() => default;
            }

            public partial class Split
            {
                [AgentScript("split-one")]
                public static void One() { }
            }

            public partial class Split
            {
                [AgentScript("split-two")]
                public void Two() { }
            }
        }
        """;

    /// <summary>Nested types, the global namespace, a script name, a logging hook and an unsupported entry that is skipped.</summary>
    public const string NamespacesAndHooks = """
        using System.Threading.Tasks;
        using AgentScript;
        using Serilog;

        static class GlobalEntries
        {
            [AgentScript("nested-in-global")]
            static void Ignored() { }

            public static class Inner
            {
                [AgentScript("inner", ScriptName = "hello-agent", Description = "Quotes \" and \\ escaped")]
                public static Task<long> Run() => Task.FromResult(1L);
            }
        }

        namespace Outer.Middle
        {
            internal static partial class Container
            {
                internal static partial class Deep
                {
                    [AgentScript("deep")]
                    internal static string Run() => "deep";

                    [AgentScript("unsupported")]
                    internal static string NeedsInt(int value) => value.ToString();
                }
            }

            internal static class Logging
            {
                [AgentScriptLogging]
                internal static void Configure(LoggerConfiguration configuration) => configuration.MinimumLevel.Debug();
            }
        }
        """;

    /// <summary>Traced methods of every kind and the calls to them.</summary>
    public const string Traced = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using AgentScript;

        namespace Tracing.Sample;

        public static class Tools
        {
            [Traced]
            public static int Add(int a, int b) => a + b;

            [Traced("fetch-page")]
            public static async Task<string> FetchAsync(string url)
            {
                await Task.Yield();
                return url;
            }

            [Traced]
            public static Task WaitAsync() => Task.CompletedTask;

            [Traced]
            public static ValueTask PingAsync() => ValueTask.CompletedTask;

            [Traced]
            public static ValueTask<int?> MaybeAsync(int? value) => new(value);

            [Traced]
            public static void Log(string? message, out int length) => length = message?.Length ?? 0;

            [Traced]
            public static T Echo<T>(T value) => value;

            [Traced]
            public static int Shout(this string text, int times) => text.Length * times;

            public static int NotTraced() => 0;
        }

        public sealed class Worker
        {
            [Traced]
            public List<string> Split(string text) => new(text.Split(' '));

            [Traced]
            public async Task<int> CountAsync(IEnumerable<string> items)
            {
                await Task.Yield();
                var n = 0;
                foreach (var _ in items)
                    n++;
                return n;
            }
        }

        public static class Caller
        {
            public static async Task<int> RunAsync(Worker worker)
            {
                var sum = Tools.Add(1, 2) + Tools.Add(3, 4);
                var page = await Tools.FetchAsync("https://example.org");
                await Tools.WaitAsync();
                await Tools.PingAsync();
                var maybe = await Tools.MaybeAsync(sum);
                Tools.Log(page, out var length);
                var echoed = Tools.Echo(length) + Tools.Echo<long>(2L);
                var shouted = "hey".Shout(2) + Tools.Shout("ho", 1);
                var parts = worker.Split("a b c");
                var count = await worker.CountAsync(parts);
                Func<int, int, int> notIntercepted = Tools.Add;
                return sum + (maybe ?? 0) + (int)echoed + shouted + count + notIntercepted(0, 0) + Tools.NotTraced();
            }
        }
        """;

    /// <summary>A library without entries: nothing but interceptors may be generated.</summary>
    public const string NoEntries = """
        namespace Library;

        public static class Helpers
        {
            public static int Twice(int x) => x * 2;
        }
        """;
}
