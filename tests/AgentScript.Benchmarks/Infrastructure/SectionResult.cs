using System.Text.Json;

namespace AgentScript.Benchmarks.Infrastructure;

/// <summary>A measured figure next to its target from issue 9.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Figure">The figure, formatted.</param>
/// <param name="Target">The target, formatted (as the issue states it).</param>
/// <param name="Met">True/false when the target applies; null when it could not be measured.</param>
public sealed record Check(string Name, string Figure, string Target, bool? Met);

/// <summary>What one section produced: markdown for the doc and the target checks for the summary table.</summary>
public sealed record SectionResult
{
    public required string Section { get; init; }
    public required string Title { get; init; }
    public required DateTimeOffset Date { get; init; }
    public required string Command { get; init; }
    public required bool Quick { get; init; }
    public required string Markdown { get; init; }
    public List<Check> Checks { get; init; } = [];
    /// <summary>True when the section did not finish (an exception, a crash or its time limit).</summary>
    public bool Failed { get; init; }
    /// <summary>/proc/loadavg when the section ended: the machine is shared, so this says how quiet it was.</summary>
    public string LoadAverage { get; init; } = "";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static SectionResult Create(string section, string title, RunContext ctx, string markdown, List<Check> checks) => new()
    {
        Section = section,
        Title = title,
        Date = DateTimeOffset.UtcNow,
        Command = ctx.Command,
        Quick = ctx.Quick,
        Markdown = markdown,
        Checks = checks,
        LoadAverage = ReadLoad(),
    };

    private static string ReadLoad()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }

    public static SectionResult FromException(string section, RunContext ctx, Exception ex) =>
        FromFailure(section, ctx, $"`{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}`");

    /// <summary>A section that did not finish: the reason is printed in its place in the doc, the other sections keep theirs.</summary>
    public static SectionResult FromFailure(string section, RunContext ctx, string reason) =>
        Create(section, Titles.For(section), ctx, $"The section failed on this run: {reason}\n", []) with { Failed = true };

    public void Save()
    {
        Directory.CreateDirectory(RepoPaths.Results);
        File.WriteAllText(Path.Combine(RepoPaths.Results, Section + ".json"), JsonSerializer.Serialize(this, Json));
    }

    public static SectionResult? Load(string section)
    {
        var path = Path.Combine(RepoPaths.Results, section + ".json");
        return File.Exists(path) ? JsonSerializer.Deserialize<SectionResult>(File.ReadAllText(path), Json) : null;
    }
}

/// <summary>Section titles in doc order.</summary>
public static class Titles
{
    public static string For(string section) => section switch
    {
        "logcall" => "1. Log call inside a run",
        "ingest" => "2. End-to-end ingest (1,000,000 events)",
        "search" => "3. Search on 1,000,000 events",
        "startup" => "4. Script start-up",
        "generator" => "5. Generator and analyzers",
        "arango" => "6. ArangoDB ingest and search",
        "regression" => "7. Against the code of the previous doc",
        _ => section,
    };
}
