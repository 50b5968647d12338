namespace AgentScript.Queries;

/// <summary>What a prune deleted (or would delete, for a dry run).</summary>
public sealed record PruneResult(long Events, long Runs, long Learnings, long Relations, bool DryRun);
