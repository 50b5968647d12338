// Job: the stall threshold of a command: --stall-threshold, else AGENTSCRIPT_STALL_THRESHOLD, else 30 s.
using System.CommandLine;
using AgentScript.Queries;

namespace AgentScript.Cli.Infrastructure;

/// <summary>Reads the stall threshold shared by errors, stats, tail, report and the MCP server.</summary>
internal static class StallThreshold
{
    /// <summary>A new <c>--stall-threshold</c> option.</summary>
    public static Option<string?> CreateOption() => new("--stall-threshold")
    {
        Description = $"A gap in a run's activity longer than this is reported as a stall (default 30s, or {RunStalls.ThresholdVariable}).",
        HelpName = "duration",
    };

    /// <summary>The threshold in effect.</summary>
    public static TimeSpan Resolve(CliContext ctx, ParseResult r, Option<string?> option) =>
        Resolve(r.GetValue(option), ctx.Settings.Environment);

    /// <summary>The threshold from an explicit value or the environment.</summary>
    public static TimeSpan Resolve(string? value, IReadOnlyDictionary<string, string?> environment)
    {
        var (text, source) = value is { Length: > 0 } v ? (v, "--stall-threshold")
            : environment.TryGetValue(RunStalls.ThresholdVariable, out var e) && !string.IsNullOrWhiteSpace(e) ? (e, RunStalls.ThresholdVariable)
            : (null, null);
        if (text is null)
        {
            return RunStalls.DefaultThreshold;
        }
        var threshold = CliParsing.Duration(text, source!);
        return threshold > TimeSpan.Zero ? threshold : throw CliException.Usage($"{source} must be more than 0, for example 30s or 2m.");
    }
}
