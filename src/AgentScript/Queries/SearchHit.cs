using AgentScript.Model;

namespace AgentScript.Queries;

/// <summary>One search result; a higher <paramref name="Score"/> is a better match.</summary>
/// <param name="Event">The matching event.</param>
/// <param name="Score">BM25 relevance (positive, larger is better).</param>
public sealed record SearchHit(LogEventRecord Event, double Score);
