namespace AgentScript.Model;

/// <summary>
/// Makes stable record ids (events, learnings, relations): a version-7 GUID as 32 lower-case hex digits —
/// time-ordered, unique without coordination, and a valid ArangoDB key.
/// </summary>
public static class EventIds
{
    /// <summary>A new id.</summary>
    public static string New() => Guid.CreateVersion7().ToString("N");
}
