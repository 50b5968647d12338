namespace AgentScript.Generators.Analyzers
{
    /// <summary>Metadata names only the analyzers need (the shared ones live in <c>Shared/WellKnownNames</c>).</summary>
    internal static class AnalyzerNames
    {
        public const string LoggingAttribute = "AgentScript.AgentScriptLoggingAttribute";
        public const string LoggerConfiguration = "Serilog.LoggerConfiguration";
        public const string AgentLog = "AgentScript.AgentLog";
        public const string AgentLogStore = "AgentScript.Storage.IAgentLogStore";
    }
}
