using System.Runtime.Loader;
using AgentScript.Model;
using Microsoft.CodeAnalysis;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace AgentScript.Generators.Tests.Generator;

/// <summary>
/// Compiles code with traced methods through the generator, loads it and runs it against a real Serilog pipeline:
/// the interceptors must actually wrap the calls, nest spans through async flow and record exceptions.
/// </summary>
[Collection(SerilogGlobalLogger.Name)]
public sealed class TracedExecutionTests
{
    private const string Source = """
        using System;
        using System.Threading.Tasks;
        using AgentScript;
        using Serilog;

        namespace Traced.Run;

        public sealed class Pipeline
        {
            [Traced]
            public async Task<int> OuterAsync()
            {
                Log.Information("outer working");
                var results = await Task.WhenAll(InnerAsync(1), InnerAsync(2));
                return results[0] + results[1] + Square(3);
            }

            [Traced("inner")]
            public static async Task<int> InnerAsync(int value)
            {
                await Task.Yield();
                Log.Information("inner {Value}", value);
                return value * 10;
            }

            [Traced]
            public static int Square(int x) => x * x;

            [Traced]
            public static void Explode() => throw new InvalidOperationException("boom");

            [Traced]
            public static async ValueTask ExplodeLaterAsync()
            {
                await Task.Yield();
                throw new TimeoutException("late boom");
            }

            public static async Task<object?> RunAllAsync()
            {
                var total = await new Pipeline().OuterAsync();
                try { Explode(); } catch (InvalidOperationException) { }
                try { await ExplodeLaterAsync(); } catch (TimeoutException) { }
                Log.Information("after spans");
                return total;
            }
        }
        """;

    [Fact]
    public async Task Interceptors_emit_nested_spans_and_record_exceptions()
    {
        var (_, output) = GeneratorHarness.Run(GeneratorHarness.Compile(OutputKind.DynamicallyLinkedLibrary, ("Pipeline.cs", Source)));
        Assert.Empty(GeneratorHarness.Problems(output));

        using var stream = new MemoryStream();
        var emit = output.Emit(stream, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("traced", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(stream);
            var run = assembly.GetType("Traced.Run.Pipeline", throwOnError: true)!.GetMethod("RunAllAsync")!;

            var sink = new CollectingSink();
            Log.Logger = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.Sink(sink).CreateLogger();
            object? total;
            try
            {
                total = await (Task<object?>)run.Invoke(null, null)!;
            }
            finally
            {
                await Log.CloseAndFlushAsync();
            }

            Assert.Equal(10 + 20 + 9, total);
            var events = sink.Events;
            string? Prop(LogEvent e, string name) =>
                e.Properties.TryGetValue(name, out var v) && v is ScalarValue { Value: not null } s ? s.Value.ToString() : null;

            var starts = events.Where(e => Prop(e, LogProperties.Category) == LogCategories.SpanStart).ToList();
            var ends = events.Where(e => Prop(e, LogProperties.Category) == LogCategories.SpanEnd).ToList();
            string[] expected = ["Pipeline.Explode", "Pipeline.ExplodeLaterAsync", "Pipeline.OuterAsync", "Pipeline.Square", "inner", "inner"];
            Assert.Equal(expected, starts.Select(e => Prop(e, LogProperties.FunctionName)!).Order(StringComparer.Ordinal).ToArray());
            Assert.Equal(starts.Count, ends.Count);

            var outer = starts.Single(e => Prop(e, LogProperties.FunctionName) == "Pipeline.OuterAsync");
            var outerId = Prop(outer, LogProperties.SpanId);
            Assert.Matches("^[0-9a-f]{16}$", outerId);
            Assert.Null(Prop(outer, LogProperties.ParentSpanId));

            // Both concurrent inner calls and the sync Square call are children of the outer span.
            var children = starts.Where(e => Prop(e, LogProperties.FunctionName) is "inner" or "Pipeline.Square").ToList();
            Assert.Equal(3, children.Count);
            Assert.All(children, c => Assert.Equal(outerId, Prop(c, LogProperties.ParentSpanId)));
            Assert.Equal(3, children.Select(c => Prop(c, LogProperties.SpanId)).Distinct().Count());

            // Events logged inside a span carry it (through awaits and thread hops).
            var outerWorking = events.Single(e => e.MessageTemplate.Text == "outer working");
            Assert.Equal(outerId, Prop(outerWorking, LogProperties.SpanId));
            foreach (var inner in events.Where(e => e.MessageTemplate.Text == "inner {Value}"))
            {
                var spanId = Prop(inner, LogProperties.SpanId);
                Assert.Contains(children, c => Prop(c, LogProperties.SpanId) == spanId && Prop(c, LogProperties.FunctionName) == "inner");
                Assert.Equal(outerId, Prop(inner, LogProperties.ParentSpanId));
                Assert.Equal("inner", Prop(inner, LogProperties.FunctionName));
            }
            // Once the spans are closed, nothing is left on the log context.
            var after = events.Single(e => e.MessageTemplate.Text == "after spans");
            Assert.Null(Prop(after, LogProperties.SpanId));
            Assert.Null(Prop(after, LogProperties.FunctionName));

            // Ends: duration and outcome; failures carry the exception at Error level.
            Assert.All(ends, e => Assert.True(double.Parse(Prop(e, "duration_ms")!, System.Globalization.CultureInfo.InvariantCulture) >= 0));
            var outerEnd = ends.Single(e => Prop(e, LogProperties.SpanId) == outerId);
            Assert.Equal("success", Prop(outerEnd, "outcome"));
            var explode = ends.Single(e => Prop(e, LogProperties.FunctionName) == "Pipeline.Explode");
            Assert.Equal("failed", Prop(explode, "outcome"));
            Assert.Equal(LogEventLevel.Error, explode.Level);
            Assert.IsType<InvalidOperationException>(explode.Exception);
            var later = ends.Single(e => Prop(e, LogProperties.FunctionName) == "Pipeline.ExplodeLaterAsync");
            Assert.Equal("failed", Prop(later, "outcome"));
            Assert.Equal("late boom", later.Exception!.Message);
            Assert.True(events.IndexOf(outer) < events.IndexOf(outerEnd));
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly List<LogEvent> _events = [];

        public List<LogEvent> Events
        {
            get
            {
                lock (_events)
                    return [.. _events];
            }
        }

        public void Emit(LogEvent logEvent)
        {
            lock (_events)
                _events.Add(logEvent);
        }
    }
}

/// <summary>Tests that replace Serilog's global logger must not run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerilogGlobalLogger
{
    public const string Name = "Serilog global logger";
}
