namespace AgentScript;

/// <summary>
/// Marks a <c>static void Method(Serilog.LoggerConfiguration configuration)</c>, public or internal in a non-generic
/// type, that adds to the script's logging (enrichers, extra sinks, minimum levels). The generated <c>Main</c> passes it
/// to <see cref="Hosting.ScriptManifest.ConfigureLogging"/>, which runs after the product's own console and store sinks
/// are configured. One per script; analyzer error AGS018 reports a hook that would not be called.
/// </summary>
/// <example>
/// <code>
/// [AgentScriptLogging]
/// internal static void Logging(LoggerConfiguration configuration) =&gt;
///     configuration.MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AgentScriptLoggingAttribute : Attribute
{
}
