namespace AgentScript.Generators.Shared
{
    /// <summary>Metadata names the generator and the analyzers look for (one place, so they cannot drift).</summary>
    internal static class WellKnownNames
    {
        public const string AgentScriptAttribute = "AgentScript.AgentScriptAttribute";
        public const string TracedAttribute = "AgentScript.TracedAttribute";
        public const string ScriptContext = "AgentScript.Hosting.ScriptContext";
        public const string CancellationToken = "System.Threading.CancellationToken";
        public const string Task = "System.Threading.Tasks.Task";
        public const string TaskOfT = "System.Threading.Tasks.Task`1";
        public const string ValueTask = "System.Threading.Tasks.ValueTask";
        public const string ValueTaskOfT = "System.Threading.Tasks.ValueTask`1";
        public const string AsyncEnumerableOfT = "System.Collections.Generic.IAsyncEnumerable`1";
        public const string AsyncEnumeratorOfT = "System.Collections.Generic.IAsyncEnumerator`1";
        public const string DefaultMode = "working";
        public const string DebugMode = "debug";
        public const string LoggingAttribute = "AgentScript.AgentScriptLoggingAttribute";
        public const string LoggerConfiguration = "Serilog.LoggerConfiguration";
        public const string GeneratedNamespace = "AgentScript.Generated";
    }
}
