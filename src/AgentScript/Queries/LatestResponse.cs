using AgentScript.Model;

namespace AgentScript.Queries;

/// <summary>A run's final response.</summary>
/// <param name="ExecutionId">The run.</param>
/// <param name="ScriptName">Its script.</param>
/// <param name="Mode">Its mode.</param>
/// <param name="Status">Its status.</param>
/// <param name="Time">When the run ended (or started, if it has not ended).</param>
/// <param name="ResponseJson">The response as JSON text.</param>
public sealed record LatestResponse(string ExecutionId, string ScriptName, string Mode, RunStatus Status, DateTimeOffset Time, string ResponseJson);
