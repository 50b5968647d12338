// Job: the tools the MCP server offers (one entry per tool; docs/cli.md lists the same names and parameters).
namespace AgentScript.Cli.Mcp;

/// <summary>Every tool of <c>agentlog mcp</c>, each backed by one <c>agentlog</c> command run with <c>--json</c>.</summary>
internal static class McpToolCatalog
{
    private static McpParam ExecutionId(bool required = true, string what = "The run's execution id (from list_runs).") =>
        new("execution_id", "string", what, required ? McpArgKind.Positional : McpArgKind.Option, required ? null : "--execution-id", required);

    private static McpParam Str(string name, string cli, string description) => new(name, "string", description, McpArgKind.Option, cli);

    private static readonly McpParam Limit = new("limit", "integer", $"Page size (default {McpToolSpec.DefaultLimit}, at most {McpToolSpec.MaxLimit}).", McpArgKind.Paging)
    {
        Minimum = 1,
        Maximum = McpToolSpec.MaxLimit,
    };

    private static readonly McpParam Cursor = new("cursor", "string", "Where to continue: the next_cursor of the previous result (omit for the first page).", McpArgKind.Paging);

    /// <summary>The tools, in the order they are listed.</summary>
    public static IReadOnlyList<McpToolSpec> All { get; } =
    [
        new("list_runs", "Recent script runs, newest first: execution id, script, mode, status, times, duration, error, final response.", "runs",
        [
            Str("script", "--script", "Only runs of this script."),
            Str("status", "--status", "Only runs with this status.") with { Enum = ["running", "success", "failed", "cancelled", "abandoned"] },
            Str("since", "--since", "Only runs started after this: a duration back from now (2h, 7d) or an ISO-8601 time."),
            Limit, Cursor,
        ]) { PagedArray = "runs", CliLimit = "--limit" },

        new("show_run", "Summary of one run: the run record, event counts by level, errors, learnings, progress, typed agent events and the final response.", "show",
        [ExecutionId()]),

        new("latest_response", "The final response of the latest successful run of a script (or of one run given by execution_id).", "latest",
        [
            new("script", "string", "The script's name.", McpArgKind.Positional),
            ExecutionId(required: false, what: "A run's execution id (instead of the latest run of a script)."),
        ]),

        new("search", "BM25 full-text search over messages, exceptions, payloads and learnings, best first.", "search",
        [
            new("text", "string", "Words to search for.", McpArgKind.Positional, Required: true),
            Str("level", "--level", "Only events of this level.") with { Enum = ["TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] },
            Str("script", "--script", "Only events of this script."),
            ExecutionId(required: false, what: "Only events of this run."),
            Str("category", "--category", "Only events of this log_category (e.g. AGENT_ACTION, SPAN_END)."),
            Str("since", "--since", "Only events after this (duration back from now, or ISO-8601)."),
            Str("until", "--until", "Only events before this (duration back from now, or ISO-8601)."),
            new("exhaustive", "boolean", "Rank every match, not only the newest 400 (slower for common words).", McpArgKind.Flag, "--exhaustive"),
            Limit, Cursor,
        ]) { PagedArray = "hits", CliLimit = "--limit" },

        new("errors", "Each ERROR/CRITICAL event of a run with the events around it, and the run's stalls (gaps in activity) with the events before and after.", "errors",
        [
            ExecutionId(),
            Str("context", "--context", "Context around each error: a time span (5s, 500ms) or a number of events each side (10). Default 5s."),
            Str("stall_threshold", "--stall-threshold", "Gaps longer than this are stalls (default 30s)."),
            Limit, Cursor,
        ]) { PagedArray = "errors" },

        new("summary", "How scripts have done over the last days: runs, success rate, duration percentiles, errors per day and stalled runs.", "stats",
        [
            new("days", "integer", "Window in days (default 7).", McpArgKind.Option, "--days") { Minimum = 1, Maximum = 3650 },
            Str("script", "--script", "Only this script."),
            Str("stall_threshold", "--stall-threshold", "Gaps longer than this are stalls (default 30s)."),
        ]),

        new("learnings", "Learnings agents recorded (insights for later runs), newest first or best match first when text is given.", "learnings",
        [
            new("text", "string", "Words the learning should match.", McpArgKind.Positional),
            ExecutionId(required: false, what: "Only learnings of this run."),
            Str("script", "--script", "Only learnings of this script."),
            Str("function", "--function", "Only learnings about this function."),
            new("min_confidence", "number", "Only learnings at least this confident (0-1).", McpArgKind.Option, "--min-confidence") { Minimum = 0, Maximum = 1 },
            Limit, Cursor,
        ]) { PagedArray = "learnings", CliLimit = "--limit" },

        new("record_learning", "Record a learning (an insight for later runs) in the store. Returns the stored learning.", "learn",
        [
            new("learning", "string", "The insight, one or two sentences.", McpArgKind.Positional, Required: true),
            ExecutionId(required: false, what: "The run it came from (must exist)."),
            Str("script", "--script", "The script it is about."),
            Str("function", "--function", "The function it is about."),
            Str("context", "--context", "Background: what was tried, what happened."),
            new("confidence", "number", "How sure (0-1, default 0.8).", McpArgKind.Option, "--confidence") { Minimum = 0, Maximum = 1 },
        ]) { ReadOnly = false },

        new("relate", "Store a typed relation between two events, runs or learnings, with a rationale of at least 50 characters. Returns the stored relation.", "relate",
        [
            new("from", "string", "Handle: log_events/<event_id>, script_runs/<execution_id>, agent_learnings/<learning_id>, or an execution id.", McpArgKind.Positional, Required: true),
            new("to", "string", "Handle of the other end (same forms as from).", McpArgKind.Positional, Required: true),
            new("rationale", "string", "Why the relation holds (at least 50 characters).", McpArgKind.Option, "--rationale", Required: true),
            Str("type", "--type", "CAUSED_BY, FOLLOWED_BY, FIXED_BY, RESOLVED_BY, RELATED_TO (default) or your own."),
            new("confidence", "number", "How sure (0-1, default 1).", McpArgKind.Option, "--confidence") { Minimum = 0, Maximum = 1 },
            Str("created_by", "--created-by", "Who states it (default agent)."),
        ]) { ReadOnly = false },

        new("execution_graph", "A run as a graph: its events as nodes, FOLLOWED_BY/FIXED_BY edges and stored relations. Pages through nodes; edges of the page's nodes.", "graph",
        [ExecutionId(), Limit, Cursor]) { PagedArray = "nodes" },

        new("diff_runs", "Compare two runs: status and duration change, final responses as JSON paths, events per level, error types appeared/disappeared, spans whose duration changed most, learnings recorded in between.", "diff",
        [
            new("run_a", "string", "The baseline run's execution id (e.g. the failed run).", McpArgKind.Positional, Required: true),
            new("run_b", "string", "The run to compare (e.g. the fixed run).", McpArgKind.Positional, Required: true),
        ]),

        new("query", "A read-only raw native query: SQL on SQLite, AQL on ArangoDB, with named parameters (@name). Writes are refused.", "query",
        [
            new("query", "string", "The query text; refer to parameters as @name.", McpArgKind.Positional, Required: true),
            new("parameters", "object", "Named parameters: {\"name\": value}.", McpArgKind.Parameters, "--param"),
            Limit, Cursor,
        ]) { PagedArray = "rows" },
    ];

    /// <summary>The tool named <paramref name="name"/>, or null.</summary>
    public static McpToolSpec? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
