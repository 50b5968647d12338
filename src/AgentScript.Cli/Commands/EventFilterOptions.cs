using System.CommandLine;
using Spectre.Console;
using AgentScript.Cli.Infrastructure;
using AgentScript.Queries;

namespace AgentScript.Cli.Commands;

/// <summary>The filters shared by <c>search</c>, <c>export</c> and <c>tail</c>.</summary>
internal sealed class EventFilterOptions
{
    public Option<string?> Level { get; } = new("--level", "-l")
    {
        Description = "Only this level: TRACE, DEBUG, INFO, WARNING, ERROR or CRITICAL (any case).",
    };
    public Option<string?> Script { get; } = new("--script", "-s")
    {
        Description = "Only events of this script name.",
    };
    public Option<string?> ExecutionId { get; } = new("--execution-id", "-e")
    {
        Description = "Only events of this run.",
    };
    public Option<string?> Category { get; } = new("--category", "-c")
    {
        Description = "Only this log_category (SCRIPT_FINAL_RESPONSE, AGENT_LEARNING, PROGRESS, SPAN_START, ERROR, …).",
    };
    public Option<string?> Since { get; } = new("--since")
    {
        Description = "Only events at or after this time: a duration back from now (30m, 2h, 7d) or ISO-8601 (2026-11-24T10:00:00Z).",
    };
    public Option<string?> Until { get; } = new("--until")
    {
        Description = "Only events before this time (same forms as --since).",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Level);
        command.Options.Add(Script);
        command.Options.Add(ExecutionId);
        command.Options.Add(Category);
        command.Options.Add(Since);
        command.Options.Add(Until);
    }

    /// <summary>The filter the options describe.</summary>
    public EventFilter ToFilter(ParseResult result, DateTimeOffset now, string? text = null, int? limit = null) => new()
    {
        Level = CliParsing.Level(result.GetValue(Level)),
        ScriptName = Blank(result.GetValue(Script)),
        ExecutionId = Blank(result.GetValue(ExecutionId)),
        Category = Blank(result.GetValue(Category))?.ToUpperInvariant(),
        Since = CliParsing.Time(result.GetValue(Since), "--since", now),
        Until = CliParsing.Time(result.GetValue(Until), "--until", now),
        Text = Blank(text),
        Limit = limit,
    };

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
