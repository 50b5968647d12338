using System.Collections;
using System.CommandLine;
using AgentScript.Cli.Commands;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Runtime;

namespace AgentScript.Cli;

/// <summary>
/// The <c>agentlog</c> tool. <see cref="RunAsync(string[], TextWriter, TextWriter, IReadOnlyDictionary{string, string?}?, CancellationToken)"/>
/// runs one command line in-process (the process entry point and the tests both use it).
/// </summary>
public static class AgentLogApp
{
    /// <summary>Runs <paramref name="args"/> and returns the exit code (see docs/cli.md).</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="stdout">Results (tables or JSON).</param>
    /// <param name="stderr">Errors, notes and progress.</param>
    /// <param name="environment">Environment variables to read configuration from; null = the process environment.</param>
    /// <param name="cancellationToken">Ends long commands (<c>tail --follow</c>) cleanly.</param>
    public static Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        IReadOnlyDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliSettings
        {
            Out = stdout,
            Error = stderr,
            Environment = environment ?? ProcessEnvironment(),
        }, cancellationToken);

    /// <summary>Runs with full host settings.</summary>
    internal static async Task<int> RunAsync(string[] args, CliSettings settings, CancellationToken cancellationToken = default)
    {
        var kit = new CommandKit(settings);
        var root = BuildRoot(kit);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                settings.Error.WriteLine($"agentlog: {error.Message}");
            }
            var path = CommandPath(parseResult.CommandResult.Command);
            settings.Error.WriteLine($"agentlog: see '{path} --help' for usage.");
            return CliExitCodes.Usage;
        }
        var invocation = new InvocationConfiguration
        {
            Output = settings.Out,
            Error = settings.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = settings.HandleTermination ? TimeSpan.FromSeconds(5) : null,
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The command tree.</summary>
    internal static RootCommand BuildRoot(CommandKit kit)
    {
        var root = new RootCommand(
            "agentlog — inspect and manage the AgentScript log store: runs, events, BM25 search, errors with context, " +
            "learnings, relations, raw queries, export, live tail, stats and HTML run reports.\n" +
            "Configuration comes from the environment and a .env file in the current folder, as for scripts: " +
            "AGENTSCRIPT_STORE=sqlite:<path>|arangodb, ARANGO_URL, ARANGO_USERNAME, ARANGO_PASSWORD, ARANGO_DATABASE, LOG_BUFFER_DIR.\n" +
            "Add --json to any command for machine-readable output (a failure then prints {\"error\": {exit_code, kind, message}}). " +
            "Exit codes: 0 ok, 1 not found/empty, 2 usage, 3 store unreachable, 4 store file damaged (see doctor), 5 query time limit.\n" +
            "Start with: agentlog runs, then agentlog show <execution-id>.");
        root.Options.Add(kit.Json);
        root.Options.Add(kit.Store);
        root.Subcommands.Add(InitCommand.Create(kit));
        root.Subcommands.Add(DoctorCommand.Create(kit));
        root.Subcommands.Add(RunsCommand.Create(kit));
        root.Subcommands.Add(ShowCommand.Create(kit));
        root.Subcommands.Add(LatestCommand.Create(kit));
        root.Subcommands.Add(SearchCommand.Create(kit));
        root.Subcommands.Add(ErrorsCommand.Create(kit));
        root.Subcommands.Add(LearningsCommand.Create(kit));
        root.Subcommands.Add(LearnCommand.Create(kit));
        root.Subcommands.Add(QueryCommand.Create(kit));
        root.Subcommands.Add(PruneCommand.Create(kit));
        root.Subcommands.Add(RelateCommand.Create(kit));
        root.Subcommands.Add(GraphCommand.Create(kit));
        root.Subcommands.Add(ExportCommand.Create(kit));
        root.Subcommands.Add(TailCommand.Create(kit));
        root.Subcommands.Add(StatsCommand.Create(kit));
        root.Subcommands.Add(ReportCommand.Create(kit));
        root.Subcommands.Add(FlushCommand.Create(kit));
        root.Subcommands.Add(DiffCommand.Create(kit));
        root.Subcommands.Add(McpCommand.Create(kit));
        return root;
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(c is RootCommand ? "agentlog" : c.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            env[(string)entry.Key] = entry.Value as string;
        }
        return env;
    }
}
