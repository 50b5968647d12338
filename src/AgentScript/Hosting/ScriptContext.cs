using AgentScript.Storage;

namespace AgentScript.Hosting;

/// <summary>
/// What an entry may take as a parameter: the run's identity, the extra command-line arguments, the
/// cancellation token (Ctrl+C / SIGTERM), the run's logger and the store's query API.
/// </summary>
public sealed class ScriptContext
{
    /// <summary>Creates a context (the host does this; tests may too).</summary>
    public ScriptContext(
        string executionId,
        string scriptName,
        string mode,
        IReadOnlyList<string> arguments,
        Serilog.ILogger logger,
        IAgentLogStore store,
        CancellationToken cancellationToken)
    {
        ExecutionId = executionId;
        ScriptName = scriptName;
        Mode = mode;
        Arguments = arguments;
        Logger = logger;
        Store = store;
        CancellationToken = cancellationToken;
    }

    /// <summary>This run's execution id.</summary>
    public string ExecutionId { get; }
    /// <summary>The script's name.</summary>
    public string ScriptName { get; }
    /// <summary>The mode being run.</summary>
    public string Mode { get; }
    /// <summary>Command-line arguments after the mode.</summary>
    public IReadOnlyList<string> Arguments { get; }
    /// <summary>The run's logger (events carry the execution id).</summary>
    public Serilog.ILogger Logger { get; }
    /// <summary>The store, for queries (for example the latest response of an earlier run).</summary>
    public IAgentLogStore Store { get; }
    /// <summary>Cancelled by Ctrl+C or SIGTERM.</summary>
    public CancellationToken CancellationToken { get; }
    /// <summary>
    /// An <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/> writing into this run (for libraries that log
    /// through ILogger); see also <see cref="Logging.AgentScriptLogging.AddAgentScript"/> for an <c>IHost</c>.
    /// </summary>
    public Microsoft.Extensions.Logging.ILoggerFactory LoggerFactory => _loggerFactory ??= new Serilog.Extensions.Logging.SerilogLoggerFactory(Logger, dispose: false);
    private Microsoft.Extensions.Logging.ILoggerFactory? _loggerFactory;
}
