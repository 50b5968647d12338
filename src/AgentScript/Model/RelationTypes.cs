namespace AgentScript.Model;

/// <summary>Well-known relation types; any upper-case word is accepted.</summary>
public static class RelationTypes
{
    /// <summary>The target caused the source.</summary>
    public const string CausedBy = "CAUSED_BY";
    /// <summary>The target came right after the source.</summary>
    public const string FollowedBy = "FOLLOWED_BY";
    /// <summary>The target fixed the source.</summary>
    public const string FixedBy = "FIXED_BY";
    /// <summary>The target resolved the source.</summary>
    public const string ResolvedBy = "RESOLVED_BY";
    /// <summary>Loosely related.</summary>
    public const string RelatedTo = "RELATED_TO";
}
