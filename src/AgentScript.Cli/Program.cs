using AgentScript.Cli;
using AgentScript.Cli.Infrastructure;

// The process entry point: the real console, Ctrl+C / SIGTERM handled, everything else in AgentLogApp.
var settings = new CliSettings
{
    Out = Console.Out,
    Error = Console.Error,
    Environment = Environment.GetEnvironmentVariables()
        .Cast<System.Collections.DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => e.Value as string, StringComparer.Ordinal),
    OutIsTerminal = !Console.IsOutputRedirected,
    ErrorIsTerminal = !Console.IsErrorRedirected,
    HandleTermination = true,
};
return await AgentLogApp.RunAsync(args, settings).ConfigureAwait(false);
