namespace AgentScript;

/// <summary>
/// Marks a <c>static void Method(Serilog.LoggerConfiguration configuration)</c> that adds to the script's logging
/// (enrichers, extra sinks, minimum levels). The generated <c>Main</c> passes it to
/// <see cref="Hosting.ScriptManifest.ConfigureLogging"/>, which runs after the product's own console and store sinks
/// are configured. One per script.
/// </summary>
/// <example>
/// <code>
/// [AgentScriptLogging]
/// static void Logging(LoggerConfiguration configuration) =&gt;
///     configuration.MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AgentScriptLoggingAttribute : Attribute
{
}
