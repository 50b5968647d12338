namespace AgentScript.Generators.Generator
{
    /// <summary>Names of the generator's pipeline steps, so tests can check which steps ran or were cached.</summary>
    internal static class TrackingNames
    {
        public const string Entries = "AgentScript.Entries";
        public const string SupportedEntries = "AgentScript.SupportedEntries";
        public const string CollectedEntries = "AgentScript.CollectedEntries";
        public const string LoggingHooks = "AgentScript.LoggingHooks";
        public const string CollectedLoggingHooks = "AgentScript.CollectedLoggingHooks";
        public const string AssemblyName = "AgentScript.AssemblyName";
        public const string Program = "AgentScript.Program";
        public const string TracedCalls = "AgentScript.TracedCalls";
        public const string SupportedTracedCalls = "AgentScript.SupportedTracedCalls";
        public const string CollectedTracedCalls = "AgentScript.CollectedTracedCalls";
        public const string InterceptorsSupported = "AgentScript.InterceptorsSupported";
    }
}
