using Serilog;

namespace AgentScript.Hosting;

/// <summary>The compile-time table of a script's entries that the generated <c>Main</c> hands to <see cref="ScriptHost"/>.</summary>
public sealed class ScriptManifest
{
    /// <summary>Creates a manifest.</summary>
    /// <param name="scriptName">The script's name in the store.</param>
    /// <param name="entries">The entries; modes must be distinct.</param>
    /// <param name="description">What the script does, shown by <c>--help</c>.</param>
    public ScriptManifest(string scriptName, IReadOnlyList<ScriptEntry> entries, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scriptName);
        ArgumentNullException.ThrowIfNull(entries);
        ScriptName = scriptName;
        Entries = entries;
        Description = description;
    }

    /// <summary>The script's name in the store.</summary>
    public string ScriptName { get; }
    /// <summary>The entries.</summary>
    public IReadOnlyList<ScriptEntry> Entries { get; }
    /// <summary>What the script does.</summary>
    public string? Description { get; }
    /// <summary>
    /// The documented hook for extra logging set-up (enrichers, more sinks, levels). Called after the product's
    /// own console and store sinks are configured.
    /// </summary>
    public Action<LoggerConfiguration>? ConfigureLogging { get; init; }
}
