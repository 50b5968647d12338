namespace AgentScript.Model;

/// <summary>A progress report of a run.</summary>
/// <param name="Stage">What the script is doing now.</param>
/// <param name="Percent">0–100.</param>
/// <param name="Time">When it was reported.</param>
/// <param name="MetadataJson">Extra details as a JSON object text, or null.</param>
public sealed record RunProgress(string Stage, double Percent, DateTimeOffset Time, string? MetadataJson = null);
