namespace AgentScript.Queries;

/// <summary>A run as a graph: events (and the run, learnings) as nodes; FOLLOWED_BY, FIXED_BY and stored relations as edges.</summary>
public sealed record ExecutionGraph(string ExecutionId, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges);

/// <summary>A node: <paramref name="Id"/> is a document handle such as <c>log_events/{event_id}</c>.</summary>
public sealed record GraphNode(string Id, string Kind, string Label, string? Level, DateTimeOffset? Timestamp);

/// <summary>An edge between two node handles.</summary>
public sealed record GraphEdge(string From, string To, string Type, string? Rationale, double? Confidence, bool Stored);
