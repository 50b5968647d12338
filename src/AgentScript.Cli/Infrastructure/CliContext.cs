using System.Text.Json.Nodes;
using AgentScript.Cli.Output;
using AgentScript.Cli.Runtime;
using AgentScript.Configuration;
using AgentScript.Storage;
using Spectre.Console;

namespace AgentScript.Cli.Infrastructure;

/// <summary>Everything one command invocation needs: its writers, options, configuration and the store.</summary>
internal sealed class CliContext
{
    private AgentScriptOptions? _options;
    private IAnsiConsole? _console;

    public CliContext(CliSettings settings, bool json, string? storeOverride)
    {
        Settings = settings;
        Json = json;
        StoreOverride = storeOverride;
    }

    /// <summary>Host settings (writers, environment, terminal flags).</summary>
    public CliSettings Settings { get; }
    /// <summary>Machine-readable output requested.</summary>
    public bool Json { get; }
    /// <summary><c>--store</c> given on the command line (wins over <c>AGENTSCRIPT_STORE</c>).</summary>
    public string? StoreOverride { get; }
    /// <summary>Standard output.</summary>
    public TextWriter Out => Settings.Out;
    /// <summary>Standard error.</summary>
    public TextWriter Error => Settings.Error;
    /// <summary>The runtime services.</summary>
    public IRuntimeServices Runtime => Settings.Runtime;
    /// <summary>Now (UTC).</summary>
    public DateTimeOffset Now => DateTimeOffset.UtcNow;

    /// <summary>Human output: tables on stdout, plain when stdout is not a terminal.</summary>
    public IAnsiConsole Console => _console ??= CreateConsole();

    /// <summary>The configuration in effect.</summary>
    public AgentScriptOptions Options
    {
        get
        {
            if (_options is null)
            {
                var env = new Dictionary<string, string?>(Settings.Environment, StringComparer.Ordinal);
                if (StoreOverride is not null)
                {
                    env["AGENTSCRIPT_STORE"] = StoreOverride;
                }
                _options = Runtime.LoadOptions(env, Settings.WorkingDirectory);
            }
            return _options;
        }
    }

    /// <summary>Opens the configured store and makes sure its schema exists (idempotent).</summary>
    public async Task<(IAgentLogStore Store, StoreInfo Info)> OpenStoreAsync(CancellationToken cancellationToken)
    {
        var store = Runtime.OpenStore(Options);
        try
        {
            var info = await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return (store, info);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Writes a JSON result to stdout.</summary>
    public void WriteJson(JsonNode? node)
    {
        Out.WriteLine(node?.ToJsonString(JsonShapes.Indented) ?? "null");
    }

    /// <summary>A one-line note on stderr (human mode only; stays out of the way of piped output).</summary>
    public void Note(string text)
    {
        if (!Json)
        {
            Error.WriteLine(text);
        }
    }

    private IAnsiConsole CreateConsole()
    {
        var terminal = Settings.OutIsTerminal;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });
        if (!terminal)
        {
            // Piped or captured output: wide enough that ids and timestamps do not wrap.
            console.Profile.Width = Settings.Environment.TryGetValue("COLUMNS", out var c) && int.TryParse(c, out var w) && w > 40 ? w : 200;
        }
        return console;
    }
}
