using AgentScript.Generators.Shared;
using Microsoft.CodeAnalysis;

namespace AgentScript.Generators.Analyzers
{
    /// <summary>
    /// Every AgentScript diagnostic, in one place so the docs table test can compare them with docs/rules/README.md.
    /// Messages end with what to do next: the reader is often an agent that acts on the text alone.
    /// </summary>
    public static class DiagnosticDescriptors
    {
        /// <summary>Base of every help link; the rule's page is <c>{HelpLinkBase}{id}.md</c>.</summary>
        public const string HelpLinkBase = "https://github.com/agentscript/agentscript/blob/main/docs/rules/";

        private const string Template = "AgentScript.Template";
        private const string Logging = "AgentScript.Logging";
        private const string Reliability = "AgentScript.Reliability";
        private const string Security = "AgentScript.Security";
        private const string Tracing = "AgentScript.Tracing";

        /// <summary>The help link of a rule.</summary>
        public static string HelpLink(string id) => HelpLinkBase + id + ".md";

        private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, params string[] tags) =>
            new DiagnosticDescriptor(id, title, message, category, severity, isEnabledByDefault: true,
                description: null, helpLinkUri: HelpLink(id), customTags: tags);

        /// <summary>AGS001.</summary>
        public static readonly DiagnosticDescriptor UnsupportedEntrySignature = Create(
            DiagnosticIds.UnsupportedEntrySignature,
            "[AgentScript] entry has a signature the generator cannot call",
            "'{0}' cannot be an [AgentScript] entry: {1} (the rule's help lists every shape you can use)",
            Template, DiagnosticSeverity.Error);

        /// <summary>AGS002.</summary>
        public static readonly DiagnosticDescriptor DuplicateMode = Create(
            DiagnosticIds.DuplicateMode,
            "Two entries declare the same mode",
            "Mode '{0}' is declared by both '{1}' and '{2}'; the generated Main runs '{1}' and ignores '{2}'; give each [AgentScript] entry its own mode name",
            Template, DiagnosticSeverity.Error, WellKnownDiagnosticTags.CompilationEnd);

        /// <summary>AGS003.</summary>
        public static readonly DiagnosticDescriptor MissingDebugEntry = Create(
            DiagnosticIds.MissingDebugEntry,
            "Script has no debug entry",
            "The script has no [AgentScript(\"debug\")] entry; add one for trying ideas (run it with 'dotnet run -- debug') so the 'working' entry stays stable",
            Template, DiagnosticSeverity.Warning, WellKnownDiagnosticTags.CompilationEnd);

        /// <summary>AGS004.</summary>
        public static readonly DiagnosticDescriptor OwnEntryPoint = Create(
            DiagnosticIds.OwnEntryPoint,
            "Script defines its own entry point",
            "{0} define a program entry point, but the AgentScript generator writes Main from the [AgentScript] methods; make the generated Main the only entry point: {1}",
            Template, DiagnosticSeverity.Error, WellKnownDiagnosticTags.CompilationEnd);

        /// <summary>AGS005.</summary>
        public static readonly DiagnosticDescriptor ConsoleOutput = Create(
            DiagnosticIds.ConsoleOutput,
            "Console output in script code",
            "'{0}' writes to the console: stdout is reserved for the final response and console output is not stored; log it with Serilog (Log.Information(\"... {{Value}}\", value)) or return it from the entry",
            Logging, DiagnosticSeverity.Warning);

        /// <summary>AGS006.</summary>
        public static readonly DiagnosticDescriptor LoggerConfiguration = Create(
            DiagnosticIds.LoggerConfiguration,
            "Script code configures Serilog itself",
            "{0} replaces the logging the generated entry point sets up (its events would not reach the store); to add sinks, enrichers or levels, write a static method marked [AgentScriptLogging] that takes a Serilog.LoggerConfiguration",
            Logging, DiagnosticSeverity.Warning);

        /// <summary>AGS007.</summary>
        public static readonly DiagnosticDescriptor RunLifecycleCall = Create(
            DiagnosticIds.RunLifecycleCall,
            "StartRun/EndRun called inside an [AgentScript] entry",
            "'{0}' is called inside the [AgentScript] entry '{1}', but the generated entry point already starts and ends the run; remove the call",
            Template, DiagnosticSeverity.Warning);

        /// <summary>AGS008.</summary>
        public static readonly DiagnosticDescriptor AsyncVoid = Create(
            DiagnosticIds.AsyncVoid,
            "async void method",
            "'{0}' is async void: nobody can await it, its exceptions crash the process and the run can end before its logs are written; return Task instead (for a lambda: pass it where a Func<Task> is taken)",
            Reliability, DiagnosticSeverity.Warning);

        /// <summary>AGS009.</summary>
        public static readonly DiagnosticDescriptor HardCodedSecret = Create(
            DiagnosticIds.HardCodedSecret,
            "Hard-coded secret",
            "{0}; secrets in source end up in logs, history and prompts — read it from the environment or the .env file (e.g. Environment.GetEnvironmentVariable(\"ARANGO_PASSWORD\"))",
            Security, DiagnosticSeverity.Warning);

        /// <summary>AGS010.</summary>
        public static readonly DiagnosticDescriptor NoFinalResponse = Create(
            DiagnosticIds.NoFinalResponse,
            "Entry returns no final response",
            "Entry '{0}' returns nothing, so its runs have no final response to query later; return the result (T, Task<T> or ValueTask<T>)",
            Template, DiagnosticSeverity.Info);

        /// <summary>AGS011.</summary>
        public static readonly DiagnosticDescriptor DynamicMessageTemplate = Create(
            DiagnosticIds.DynamicMessageTemplate,
            "Message template built by interpolation or concatenation",
            "The message template passed to '{0}' is {1}: every event gets a new template and its values are not stored as properties; use a constant template with named properties, e.g. (\"Processed {{Count}} items\", count)",
            Logging, DiagnosticSeverity.Warning);

        /// <summary>AGS012.</summary>
        public static readonly DiagnosticDescriptor DynamicQueryText = Create(
            DiagnosticIds.DynamicQueryText,
            "Query text built by interpolation or concatenation",
            "The query text passed to '{0}' is {1}, which splices values into AQL/SQL (injection, no plan reuse); write @p0-style bind parameters in the text and pass the values as parameters",
            Security, DiagnosticSeverity.Warning);

        /// <summary>AGS013.</summary>
        public static readonly DiagnosticDescriptor UntraceableMethod = Create(
            DiagnosticIds.UntraceableMethod,
            "[Traced] method whose calls cannot be intercepted",
            "Calls of [Traced] method '{0}' are not traced: {1}",
            Tracing, DiagnosticSeverity.Warning);

        /// <summary>AGS014.</summary>
        public static readonly DiagnosticDescriptor NonSerializableResponse = Create(
            DiagnosticIds.NonSerializableResponse,
            "Final response type cannot be serialised to JSON",
            "Entry '{0}' returns {1}, which cannot be stored as a JSON final response ({2}); return data instead (a record, collection, string or number)",
            Template, DiagnosticSeverity.Warning);

        /// <summary>AGS015.</summary>
        public static readonly DiagnosticDescriptor MissingScriptSummary = Create(
            DiagnosticIds.MissingScriptSummary,
            "Script lacks a summary doc comment with purpose, sample input and expected output",
            "'{0}' {1}; add a /// <summary> that states the script's purpose, a sample input and the expected output, so an agent knows how to run it and what to expect",
            Template, DiagnosticSeverity.Info);

        /// <summary>AGS016.</summary>
        public static readonly DiagnosticDescriptor ReservedTemplateProperty = Create(
            DiagnosticIds.ReservedTemplateProperty,
            "Message template property named like a field of the log record",
            "'{{{0}}}' names a field of the log record; the value is kept as extra.{0} and never changes the event's own field; give the property a name that says whose value it is (e.g. '{{Other{0}}}')",
            Logging, DiagnosticSeverity.Warning);

        /// <summary>AGS017.</summary>
        public static readonly DiagnosticDescriptor InvalidModeName = Create(
            DiagnosticIds.InvalidModeName,
            "Invalid mode name",
            "Mode name '{0}' of '{1}' {2}, so the generated Main has no entry for it; use a letter or digit followed by letters, digits, '-', '_' or '.' (e.g. \"debug\", \"report-2\")",
            Template, DiagnosticSeverity.Error);

        /// <summary>AGS018.</summary>
        public static readonly DiagnosticDescriptor UncalledLoggingHook = Create(
            DiagnosticIds.UncalledLoggingHook,
            "Logging hook is not called",
            "[AgentScriptLogging] method '{0}' is not called by the generated entry point: {1}; make the hook static void Name(Serilog.LoggerConfiguration configuration), public or internal, in a non-generic type, and move all logging set-up into one such hook",
            Template, DiagnosticSeverity.Error, WellKnownDiagnosticTags.CompilationEnd);

        /// <summary>Every descriptor, in id order.</summary>
        public static readonly DiagnosticDescriptor[] All =
        {
            UnsupportedEntrySignature, DuplicateMode, MissingDebugEntry, OwnEntryPoint, ConsoleOutput, LoggerConfiguration,
            RunLifecycleCall, AsyncVoid, HardCodedSecret, NoFinalResponse, DynamicMessageTemplate, DynamicQueryText,
            UntraceableMethod, NonSerializableResponse, MissingScriptSummary, ReservedTemplateProperty,
            InvalidModeName, UncalledLoggingHook,
        };
    }
}
