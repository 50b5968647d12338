using AgentScript.CodeFixes;
using AgentScript.Generators.Analyzers;

namespace AgentScript.Generators.Tests.Analyzers;

/// <summary>AGS006 (Serilog set-up in script code) and AGS011 (built message templates).</summary>
public class LoggingRulesTests
{
    private const string LoggingAttributeStub = """
        namespace AgentScript
        {
            [System.AttributeUsage(System.AttributeTargets.Method)]
            public sealed class AgentScriptLoggingAttribute : System.Attribute { }
        }

        """;

    [Fact]
    public Task AGS006_logger_set_up_in_script_code_is_reported() => AnalyzerVerifier.AnalyzeAsync<LoggerConfigurationAnalyzer>("""
        using Serilog;
        class Script
        {
            void Run()
            {
                {|AGS006:Log.Logger = {|AGS006:new LoggerConfiguration()|}.CreateLogger()|};
                var config = {|AGS006:new LoggerConfiguration()|};
            }
        }
        """);

    [Fact]
    public Task AGS006_the_logging_hook_and_reading_the_logger_are_fine() => AnalyzerVerifier.AnalyzeAsync<LoggerConfigurationAnalyzer>(
        """
        using Serilog;
        using AgentScript;
        class Script
        {
            ILogger logger = Log.Logger;
            ILogger Other { get; set; } = Log.ForContext<Script>();

            [AgentScriptLogging]
            static void Logging(LoggerConfiguration configuration) =>
                configuration.WriteTo.Logger(sub => sub.MinimumLevel.Warning());

            [AgentScriptLogging]
            static void Extra(LoggerConfiguration configuration)
            {
                var side = new LoggerConfiguration().CreateLogger();
            }
        }
        class Holder { public static ILogger Logger { get; set; } = null!; void Set() => Logger = Log.Logger; }
        """ + (typeof(AgentScriptAttribute).Assembly.GetType("AgentScript.AgentScriptLoggingAttribute") == null ? LoggingAttributeStub : ""));

    [Fact]
    public async Task AGS018_hooks_the_entry_point_does_not_call_are_reported_with_the_reason()
    {
        // Each of these compiled cleanly and was silently never called.
        var diagnostics = await AnalyzerVerifier.DiagnosticsAsync<LoggingHookAnalyzer>("""
            using System.Threading.Tasks;
            using Serilog;
            using AgentScript;
            public static class Hooks
            {
                [AgentScriptLogging] public static void A(LoggerConfiguration configuration) { }
                [AgentScriptLogging] public static void B(LoggerConfiguration configuration) { }
                [AgentScriptLogging] private static void Hidden(LoggerConfiguration configuration) { }
                [AgentScriptLogging] public static Task Later(LoggerConfiguration configuration) => Task.CompletedTask;
                [AgentScriptLogging] public static void Wrong(LoggerConfiguration configuration, int level) { }
            }
            public class Instance { [AgentScriptLogging] public void Configure(LoggerConfiguration configuration) { } }
            file static class InFile { [AgentScriptLogging] public static void Configure(LoggerConfiguration configuration) { } }
            """);
        var messages = diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(6, messages.Count);
        Assert.Contains(messages, m => m.Contains("'InFile.Configure'", StringComparison.Ordinal) && m.Contains("file-local", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("[AgentScriptLogging] method 'Hooks.B' is not called by the generated entry point: the script's hook is 'Hooks.A'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'Hooks.Hidden'", StringComparison.Ordinal) && m.Contains("private", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'Hooks.Later'", StringComparison.Ordinal) && m.Contains("returns", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'Hooks.Wrong'", StringComparison.Ordinal) && m.Contains("exactly one", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'Instance.Configure'", StringComparison.Ordinal) && m.Contains("instance method", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("'Hooks.A'", StringComparison.Ordinal) && !m.Contains("'Hooks.B'", StringComparison.Ordinal));
    }

    [Fact]
    public Task AGS011_built_templates_are_reported() => AnalyzerVerifier.AnalyzeAsync<MessageTemplateAnalyzer>("""
        using System;
        using Serilog;
        class Script
        {
            void Run(ILogger logger, int count, string name, Exception ex)
            {
                Log.Information({|AGS011:$"Read {count} rows"|});
                logger.Warning({|AGS011:"Slow: " + name|});
                Log.Error(ex, {|AGS011:$"Failed for {name}"|});
                logger.Debug({|AGS011:string.Format("x {0}", count)|});
                Log.Write(Serilog.Events.LogEventLevel.Information, {|AGS011:messageTemplate: $"{count}"|});
                var text = $"Read {count} rows";
                Log.Information({|AGS011:text|});
                var joined = "Slow: " + name;
                logger.Warning({|AGS011:joined|});
            }
        }
        """);

    [Fact]
    public async Task AGS011_through_a_local_variable_names_it_and_offers_no_fix()
    {
        var diagnostics = await AnalyzerVerifier.DiagnosticsAsync<MessageTemplateAnalyzer>("""
            using Serilog;
            class Script
            {
                void Run(int count)
                {
                    var text = $"Read {count} rows";
                    Log.Information(text);
                    const string fixedText = "Read rows";
                    Log.Information(fixedText);
                    var plain = "Read rows";
                    Log.Information(plain);
                }
            }
            """);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Contains("an interpolated string (in local variable 'text')", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public Task AGS011_constant_templates_and_other_string_parameters_are_fine() => AnalyzerVerifier.AnalyzeAsync<MessageTemplateAnalyzer>("""
        using Serilog;
        class Script
        {
            const string Prefix = "Batch";
            void Run(ILogger logger, int count, string name)
            {
                Log.Information("Read {Count} rows", count);
                logger.Information("Read " + "constant" + " rows");
                logger.Information($"{Prefix} done");
                Log.ForContext("Name", $"n-{name}").Information("Done");
                logger.Information("Hello {Name}", $"{name}!");
                System.Console.Error.Write($"{count}");
            }
        }
        """);

    [Fact]
    public Task AGS011_fix_turns_holes_into_named_properties_and_fixes_all() => AnalyzerVerifier.FixAsync<MessageTemplateAnalyzer, MessageTemplateCodeFix>("""
        using System;
        using System.Collections.Generic;
        using Serilog;
        class Script
        {
            void Run(ILogger logger, List<int> items, string name, double seconds, Exception ex)
            {
                logger.Information({|AGS011:$"Read {items.Count} rows for {name} in {seconds:F2} s {{raw}}"|});
                Log.Error(ex, {|AGS011:"Failed for " + name + " after " + seconds|});
                Log.Warning({|AGS011:$"{name} vs {name} and {GetName()}"|});
            }
            string GetName() => "";
        }
        """, """
        using System;
        using System.Collections.Generic;
        using Serilog;
        class Script
        {
            void Run(ILogger logger, List<int> items, string name, double seconds, Exception ex)
            {
                logger.Information("Read {Count} rows for {Name} in {Seconds:F2} s {{raw}}", items.Count, name, seconds);
                Log.Error(ex, "Failed for {Name} after {Seconds}", name, seconds);
                Log.Warning("{Name} vs {Name2} and {Name3}", name, name, GetName());
            }
            string GetName() => "";
        }
        """);

    [Fact]
    public Task AGS011_fix_is_not_offered_when_values_already_follow_the_template() => AnalyzerVerifier.FixAsync<MessageTemplateAnalyzer, MessageTemplateCodeFix>("""
        using Serilog;
        class Script
        {
            void Run(int a, int b) => Log.Information({|AGS011:$"{a} and {{B}}"|}, b);
        }
        """, """
        using Serilog;
        class Script
        {
            void Run(int a, int b) => Log.Information({|AGS011:$"{a} and {{B}}"|}, b);
        }
        """);

    [Fact]
    public Task AGS016_template_properties_named_like_record_fields_are_reported() => AnalyzerVerifier.AnalyzeAsync<ReservedTemplatePropertyAnalyzer>("""
        using Serilog;
        class Script
        {
            void Run(ILogger logger, string id, string script)
            {
                logger.Information({|AGS016:"Looked at {ExecutionId}"|}, id);
                Log.Warning({|AGS016:"Run of {scriptname,10}"|}, script);
                logger.Information({|AGS016:"Span {@SpanId} done"|}, id);
                logger.Information({|AGS016:"In {LogCategory:l}"|}, script);
                logger.ForContext<Script>().Error({|AGS016:"From {CorrelationId}"|}, script);
            }
        }
        """);

    [Fact]
    public Task AGS016_other_names_escaped_braces_and_other_methods_are_fine() => AnalyzerVerifier.AnalyzeAsync<ReservedTemplatePropertyAnalyzer>("""
        using Serilog;
        class Script
        {
            void Run(ILogger logger, string id)
            {
                logger.Information("Looked at {PreviousExecutionId}", id);
                logger.Information("Literal {{ExecutionId}} braces", id);
                logger.Information("Execution id {Id} of ExecutionId", id);
                logger.Information("Ticket {Category} from {Source} at {Level}", id, id, id);
                logger.ForContext("Kind", "x").Information("Plain");
                Describe("{ExecutionId}");
            }
            void Describe(string messageTemplate) { }
        }
        """);
}
