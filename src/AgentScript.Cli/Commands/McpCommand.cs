// Job: agentlog mcp — starts the Model Context Protocol server on stdio.
using System.CommandLine;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Mcp;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog mcp [--max-result-chars N]</c>.</summary>
internal static class McpCommand
{
    public static Command Create(CommandKit kit)
    {
        var maxChars = new Option<int>("--max-result-chars")
        {
            Description = $"Cap on one tool result's JSON text, in characters (default {McpResultFitter.DefaultMaxChars}, at least {McpResultFitter.MinMaxChars}). " +
                "Longer results are paged (more.next_cursor) or cut.",
            DefaultValueFactory = _ => McpResultFitter.DefaultMaxChars,
        };
        var command = new Command("mcp",
            "Run a Model Context Protocol server on stdin/stdout that exposes the store as tools for agents: list_runs, " +
            "show_run, latest_response, search, errors, summary, learnings, record_learning, relate, execution_graph, " +
            "diff_runs and query (read-only). Register it with an MCP client as the command 'agentlog' with the argument " +
            "'mcp' (see docs/cli.md). Only protocol messages go to stdout; notes go to stderr. Store settings as for " +
            "every command (AGENTSCRIPT_STORE, --store).\n" +
            "Example client configuration:\n  {\"mcpServers\": {\"agentlog\": {\"command\": \"agentlog\", \"args\": [\"mcp\"]}}}")
        {
            maxChars,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var cap = r.GetValue(maxChars);
            if (cap < McpResultFitter.MinMaxChars)
            {
                throw CliException.Usage($"--max-result-chars must be at least {McpResultFitter.MinMaxChars}.");
            }
            await new AgentLogMcpServer(ctx.Settings, ctx.StoreOverride, new McpResultFitter(cap)).RunAsync(ct);
            return CliExitCodes.Ok;
        });
        return command;
    }
}
