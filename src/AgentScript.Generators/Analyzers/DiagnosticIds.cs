namespace AgentScript.Generators.Analyzers
{
    /// <summary>The AgentScript diagnostic ids. Stable once shipped (see AnalyzerReleases.Shipped.md).</summary>
    public static class DiagnosticIds
    {
        /// <summary>Entry signature the generator cannot call.</summary>
        public const string UnsupportedEntrySignature = "AGS001";
        /// <summary>Two entries declare the same mode.</summary>
        public const string DuplicateMode = "AGS002";
        /// <summary>No debug entry.</summary>
        public const string MissingDebugEntry = "AGS003";
        /// <summary>The project defines its own Main or top-level statements.</summary>
        public const string OwnEntryPoint = "AGS004";
        /// <summary>Console output in script code.</summary>
        public const string ConsoleOutput = "AGS005";
        /// <summary>Script code configures Serilog itself.</summary>
        public const string LoggerConfiguration = "AGS006";
        /// <summary>StartRun/EndRun inside an entry.</summary>
        public const string RunLifecycleCall = "AGS007";
        /// <summary>async void method.</summary>
        public const string AsyncVoid = "AGS008";
        /// <summary>Hard-coded secret.</summary>
        public const string HardCodedSecret = "AGS009";
        /// <summary>Entry returns nothing.</summary>
        public const string NoFinalResponse = "AGS010";
        /// <summary>Message template built by interpolation or concatenation.</summary>
        public const string DynamicMessageTemplate = "AGS011";
        /// <summary>Query text built by interpolation or concatenation.</summary>
        public const string DynamicQueryText = "AGS012";
        /// <summary>[Traced] method whose calls cannot be intercepted.</summary>
        public const string UntraceableMethod = "AGS013";
        /// <summary>Final response type cannot be serialised to JSON.</summary>
        public const string NonSerializableResponse = "AGS014";
        /// <summary>Script lacks a summary doc comment.</summary>
        public const string MissingScriptSummary = "AGS015";
        /// <summary>Message template property named like a field of the log record.</summary>
        public const string ReservedTemplateProperty = "AGS016";
        /// <summary>Invalid mode name.</summary>
        public const string InvalidModeName = "AGS017";
        /// <summary>[AgentScriptLogging] hook the generated entry point does not call.</summary>
        public const string UncalledLoggingHook = "AGS018";
    }
}
