using AgentScript.Configuration;
using AgentScript.Sink;
using AgentScript.Storage;
using Serilog;

namespace AgentScript.Hosting;

/// <summary>Overrides for <see cref="ScriptHost.RunAsync(string[], ScriptManifest, ScriptHostOptions)"/> (tests, embedding).</summary>
public sealed record ScriptHostOptions
{
    /// <summary>Settings to use instead of reading the environment and <c>.env</c>.</summary>
    public AgentScriptOptions? Options { get; init; }
    /// <summary>Environment to read the settings from (default: the process environment).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
    /// <summary>Folder holding <c>.env</c> (default: the current directory).</summary>
    public string? ConfigurationDirectory { get; init; }
    /// <summary>A store to use instead of opening the configured one (not disposed by the host).</summary>
    public IAgentLogStore? Store { get; init; }
    /// <summary>Changes to the pipeline settings derived from the configuration (e.g. a short flush interval).</summary>
    internal Func<WritePipelineOptions, WritePipelineOptions>? ConfigurePipeline { get; init; }
    /// <summary>Where the final response JSON goes (default: standard output).</summary>
    public TextWriter? Stdout { get; init; }
    /// <summary>Where human output goes (default: standard error).</summary>
    public TextWriter? Stderr { get; init; }
    /// <summary>Cancels the run as Ctrl+C would.</summary>
    public CancellationToken CancellationToken { get; init; }
    /// <summary>Handle Ctrl+C, SIGTERM and unhandled exceptions of the process (default true; tests in one process turn it off).</summary>
    public bool HandleProcessEvents { get; init; } = true;
    /// <summary>How long the host waits for the store at start before running the script with its writes buffered (default 10 s).</summary>
    public TimeSpan StoreStartTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Extra logging set-up after the manifest's hook.</summary>
    public Action<LoggerConfiguration>? ConfigureLogging { get; init; }
}
