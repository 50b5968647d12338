// Job: the MCP server over stdio — lists the catalog's tools and runs each call as an in-process agentlog command.
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentScript.Cli.Mcp;

/// <summary>
/// <c>agentlog mcp</c>: each tool call runs the matching <c>agentlog … --json</c> command in-process (same store
/// settings, same validation, same error messages), then redacts (<see cref="McpRedaction"/>) and bounds
/// (<see cref="McpResultFitter"/>) its JSON. A failing command becomes a tool error carrying the command's message.
/// Only protocol goes to stdout; notes go to stderr.
/// </summary>
internal sealed class AgentLogMcpServer(CliSettings settings, string? storeOverride, McpResultFitter fitter)
{
    /// <summary>The server's name in the MCP handshake.</summary>
    public const string ServerName = "agentlog";

    /// <summary>Serves on this process's stdin/stdout until the client disconnects or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation
            {
                Name = ServerName,
                Version = typeof(AgentLogMcpServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
            },
            ServerInstructions = "Tools over the AgentScript log store: runs, events, search, errors with context, learnings, relations, diffs and read-only queries. " +
                "Start with list_runs, then show_run or errors for an execution id. Paged results carry more.next_cursor; pass it back as cursor.",
            Capabilities = new ServerCapabilities { Tools = new ToolsCapability() },
            Handlers = new McpServerHandlers
            {
                ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult { Tools = Tools() }),
                CallToolHandler = (request, ct) => CallAsync(request.Params?.Name ?? "", request.Params?.Arguments, ct),
            },
        };
        await using var transport = new StdioServerTransport(ServerName);
        await using var server = McpServer.Create(transport, options);
        await settings.Error.WriteLineAsync($"agentlog mcp: serving {McpToolCatalog.All.Count} tools on stdio (results capped at {fitter.MaxChars} characters).");
        await server.RunAsync(cancellationToken);
    }

    /// <summary>The tool list with schemas.</summary>
    public static List<Tool> Tools() => McpToolCatalog.All.Select(t => new Tool
    {
        Name = t.Name,
        Description = t.Description,
        InputSchema = t.InputSchema(),
        Annotations = new ToolAnnotations { ReadOnlyHint = t.ReadOnly, DestructiveHint = false, OpenWorldHint = false },
    }).ToList();

    /// <summary>Runs one tool call.</summary>
    public async ValueTask<CallToolResult> CallAsync(string name, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        if (McpToolCatalog.Find(name) is not { } tool)
        {
            return Error($"Unknown tool '{name}'. Available: {string.Join(", ", McpToolCatalog.All.Select(t => t.Name))}.");
        }
        List<string> args;
        int cursor, limit;
        try
        {
            (args, cursor, limit) = tool.BuildArgs(arguments?.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
        }
        catch (McpArgumentException e)
        {
            return Error(e.Message);
        }
        if (storeOverride is not null)
        {
            args.Add("--store");
            args.Add(storeOverride);
        }
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AgentLogApp.RunAsync([.. args], settings with
        {
            Out = stdout,
            Error = stderr,
            OutIsTerminal = false,
            ErrorIsTerminal = false,
            HandleTermination = false,
        }, cancellationToken);
        if (code != CliExitCodes.Ok)
        {
            // The command's own message, without the "agentlog: " line prefix a shell user sees.
            var message = string.Join(" ", stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.StartsWith("agentlog: ", StringComparison.Ordinal) ? line["agentlog: ".Length..] : line));
            return Error(message.Length > 0 ? message : $"agentlog {tool.Command} failed with exit code {code}.");
        }
        JsonNode? result;
        try
        {
            result = JsonNode.Parse(stdout.ToString());
        }
        catch (JsonException e)
        {
            return Error($"agentlog {tool.Command} printed no JSON ({e.Message}).");
        }
        McpRedaction.Apply(result);
        return new CallToolResult { Content = [new TextContentBlock { Text = fitter.Fit(result, tool.PagedArray, cursor, limit) }] };
    }

    private static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message.ReplaceLineEndings(" ") }],
    };
}
