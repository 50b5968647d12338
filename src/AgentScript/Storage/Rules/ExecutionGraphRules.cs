// Job: the edges an execution graph derives from a run's events, written once for both stores.
using System.Text.RegularExpressions;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage.Rules;

/// <summary>
/// Derived edges of an execution graph: consecutive events are <c>FOLLOWED_BY</c>; an ERROR or CRITICAL event is
/// <c>FIXED_BY</c> the first later event below error level whose message says <c>fixed</c> or <c>resolved</c> as a
/// whole word ("prefixed", "unresolved" and a second error that says "not fixed" do not count).
/// </summary>
internal static partial class ExecutionGraphRules
{
    /// <summary>Events a graph shows at most.</summary>
    public const int MaxEvents = 10_000;

    /// <summary>The rationale of a derived FIXED_BY edge.</summary>
    public const string FixedByRationale = "A later event of the run says the problem was fixed or resolved.";

    [GeneratedRegex(@"\b(fixed|resolved)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FixedMessage();

    /// <summary>True when <paramref name="message"/> says a problem was fixed or resolved.</summary>
    public static bool SaysFixed(string message) => FixedMessage().IsMatch(message);

    /// <summary>
    /// The graph of a run: the run, its events and learnings as nodes; derived edges; then each stored relation touching
    /// any of them, with a node (labelled by its handle) for an end outside the run.
    /// </summary>
    public static ExecutionGraph Build(ScriptRun run, IReadOnlyList<LogEventRecord> events, IReadOnlyList<AgentLearning> learnings, IEnumerable<LogRelation> relations)
    {
        var nodes = new List<GraphNode> { new("script_runs/" + run.ExecutionId, "run", RunLabel(run), null, run.StartTime) };
        foreach (var e in events)
        {
            nodes.Add(new GraphNode(EventHandle(e), "event", Label(e.Message), e.Level, e.Timestamp));
        }
        foreach (var l in learnings)
        {
            nodes.Add(new GraphNode("agent_learnings/" + l.LearningId, "learning", Label(l.Learning), null, l.Timestamp));
        }
        var edges = DerivedEdges(events);
        var handles = nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in relations.OrderBy(r => r.CreatedAt).ThenBy(r => r.RelationId, StringComparer.Ordinal))
        {
            if (!seen.Add(r.RelationId))
            {
                continue;
            }
            foreach (var end in new[] { r.From, r.To })
            {
                if (handles.Add(end))
                {
                    nodes.Add(new GraphNode(end, KindOf(end), end, null, null));
                }
            }
            edges.Add(new GraphEdge(r.From, r.To, r.Type, r.Rationale, r.Confidence, Stored: true));
        }
        return new ExecutionGraph(run.ExecutionId, nodes, edges);
    }

    /// <summary>The handles a run's graph starts from (run, events, learnings): stored relations touching one of them belong to it.</summary>
    public static List<string> Handles(string executionId, IReadOnlyList<LogEventRecord> events, IReadOnlyList<AgentLearning> learnings) =>
        [ "script_runs/" + executionId, .. events.Select(EventHandle), .. learnings.Select(l => "agent_learnings/" + l.LearningId) ];

    /// <summary>A node label: the text, cut to 120 characters.</summary>
    public static string Label(string text) => text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 117), "...");

    /// <summary>The derived edges over events in (timestamp, id) order.</summary>
    public static List<GraphEdge> DerivedEdges(IReadOnlyList<LogEventRecord> events)
    {
        var edges = new List<GraphEdge>();
        for (var i = 1; i < events.Count; i++)
        {
            edges.Add(new GraphEdge(EventHandle(events[i - 1]), EventHandle(events[i]), RelationTypes.FollowedBy, null, null, Stored: false));
        }
        for (var i = 0; i < events.Count; i++)
        {
            if (!IsError(events[i]))
            {
                continue;
            }
            for (var j = i + 1; j < events.Count; j++)
            {
                if (!IsError(events[j]) && SaysFixed(events[j].Message))
                {
                    edges.Add(new GraphEdge(EventHandle(events[i]), EventHandle(events[j]), RelationTypes.FixedBy, FixedByRationale, null, Stored: false));
                    break;
                }
            }
        }
        return edges;
    }

    /// <summary>The node kind of a document handle.</summary>
    public static string KindOf(string handle) => handle.Split('/', 2)[0] switch
    {
        "log_events" => "event",
        "script_runs" => "run",
        "agent_learnings" => "learning",
        _ => "other",
    };

    /// <summary>The label of the run node.</summary>
    public static string RunLabel(ScriptRun run) => $"{run.ScriptName} ({run.Mode}) {run.Status.ToName()}";

    private static bool IsError(LogEventRecord e) => LogLevels.Rank(e.Level) >= LogLevels.Rank(LogLevels.Error);

    private static string EventHandle(LogEventRecord e) => "log_events/" + e.EventId;
}
