using System.CommandLine;
using Spectre.Console;
using System.Text;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Queries;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog graph &lt;execution-id&gt;</c>: the run as a graph.</summary>
internal static class GraphCommand
{
    public static Command Create(CommandKit kit)
    {
        var id = new Argument<string>("execution-id") { Description = "The run's execution id." };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: json, dot (Graphviz) or mermaid.",
            DefaultValueFactory = _ => "json",
        };
        format.AcceptOnlyFromAmong("json", "dot", "mermaid");
        var command = new Command("graph",
            "Print a run as a graph: its events (and the run and learnings) as nodes; FOLLOWED_BY between consecutive " +
            "events, FIXED_BY from an error to the event that reports the fix, and stored relations ('agentlog relate') " +
            "as edges. Exit code 1 when the run is unknown.\n" +
            "Examples:\n  agentlog graph <execution-id>\n  agentlog graph <execution-id> --format dot | dot -Tsvg > run.svg\n" +
            "  agentlog graph <execution-id> --format mermaid")
        {
            id, format,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var executionId = r.GetValue(id)!;
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                var graph = await store.GetExecutionGraphAsync(executionId, ct) ?? throw ShowCommand.NotFound(executionId);
                var fmt = ctx.Json ? "json" : r.GetValue(format);
                ctx.Out.Write(fmt switch
                {
                    "dot" => Dot(graph),
                    "mermaid" => Mermaid(graph),
                    _ => JsonShapes.Graph(graph).ToJsonString(JsonShapes.Indented) + Environment.NewLine,
                });
                return CliExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>Graphviz DOT.</summary>
    internal static string Dot(ExecutionGraph g)
    {
        var sb = new StringBuilder();
        sb.Append("digraph \"").Append(DotEscape(g.ExecutionId)).AppendLine("\" {");
        sb.AppendLine("  rankdir=TB;");
        sb.AppendLine("  node [shape=box, fontname=\"Helvetica\"];");
        foreach (var n in g.Nodes)
        {
            var style = n.Level is "ERROR" or "CRITICAL" ? ", style=filled, fillcolor=\"#f8d0d0\"" : n.Kind == "run" ? ", style=filled, fillcolor=\"#d8e8f8\"" : "";
            sb.Append("  \"").Append(DotEscape(n.Id)).Append("\" [label=\"").Append(DotEscape(Tables.OneLine(Label(n), 80))).Append('"').Append(style).AppendLine("];");
        }
        foreach (var e in g.Edges)
        {
            sb.Append("  \"").Append(DotEscape(e.From)).Append("\" -> \"").Append(DotEscape(e.To)).Append("\" [label=\"").Append(DotEscape(e.Type)).Append('"')
              .Append(e.Stored ? "" : ", style=dashed").AppendLine("];");
        }
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>Mermaid flowchart.</summary>
    internal static string Mermaid(ExecutionGraph g)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string Id(string handle)
        {
            if (!ids.TryGetValue(handle, out var id))
            {
                id = "n" + ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                ids[handle] = id;
            }
            return id;
        }
        var sb = new StringBuilder();
        sb.AppendLine("flowchart TD");
        foreach (var n in g.Nodes)
        {
            sb.Append("  ").Append(Id(n.Id)).Append("[\"").Append(MermaidEscape(Tables.OneLine(Label(n), 80))).AppendLine("\"]");
        }
        foreach (var e in g.Edges)
        {
            sb.Append("  ").Append(Id(e.From)).Append(e.Stored ? " -->|" : " -.->|").Append(MermaidEscape(e.Type)).Append("| ").AppendLine(Id(e.To));
        }
        var errors = g.Nodes.Where(n => n.Level is "ERROR" or "CRITICAL").Select(n => Id(n.Id)).ToList();
        if (errors.Count > 0)
        {
            sb.AppendLine("  classDef error fill:#f8d0d0,stroke:#c00;");
            sb.Append("  class ").Append(string.Join(',', errors)).AppendLine(" error;");
        }
        return sb.ToString();
    }

    private static string Label(GraphNode n) => n.Level is null ? $"{n.Kind}: {n.Label}" : $"{n.Level}: {n.Label}";

    private static string DotEscape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string MermaidEscape(string s) => s.Replace("\"", "#quot;", StringComparison.Ordinal).Replace("|", "#124;", StringComparison.Ordinal);
}
