namespace AgentScript;

/// <summary>
/// Marks a method as a script entry. The AgentScript source generator writes the program's <c>Main</c> around
/// the entries: <c>dotnet run</c> runs the <c>working</c> entry, <c>dotnet run -- debug</c> the <c>debug</c> entry,
/// <c>dotnet run -- &lt;mode&gt;</c> any other declared mode.
/// </summary>
/// <remarks>
/// Supported shapes: static, or instance on a class with a parameterless constructor; parameters none,
/// <see cref="System.Threading.CancellationToken"/>, <see cref="Hosting.ScriptContext"/>, or both; returning
/// <c>void</c>, <c>T</c>, <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.
/// The return value is the run's final response; a <c>bool</c> result of <c>false</c> marks the run failed.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AgentScriptAttribute : Attribute
{
    /// <summary>Declares the entry for <paramref name="mode"/>.</summary>
    /// <param name="mode">The mode name given on the command line; <c>working</c> by default.</param>
    public AgentScriptAttribute(string mode = "working") => Mode = mode;

    /// <summary>The mode name given on the command line.</summary>
    public string Mode { get; }

    /// <summary>The script's name in the store; defaults to the assembly name.</summary>
    public string? ScriptName { get; set; }

    /// <summary>What this mode does, shown by <c>--help</c>.</summary>
    public string? Description { get; set; }
}
