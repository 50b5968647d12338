// Job: how stalls (gaps in a run's activity) are shown: JSON shape and a table.
using System.Text.Json.Nodes;
using AgentScript.Queries;
using Spectre.Console;

namespace AgentScript.Cli.Output;

/// <summary>JSON: <c>{gap_ms, before: Event, after: Event|null}</c>; text: one table row per stall.</summary>
internal static class StallShapes
{
    /// <summary>One stall.</summary>
    public static JsonObject Json(RunStall s) => new()
    {
        ["gap_ms"] = Math.Round(s.Gap.TotalMilliseconds, 3),
        ["before"] = JsonShapes.Event(s.Before),
        ["after"] = s.After is null ? null : JsonShapes.Event(s.After),
    };

    /// <summary>The stalls section of a command's JSON: <c>{threshold_ms, count, items}</c>.</summary>
    public static JsonObject Section(IReadOnlyList<RunStall> stalls, TimeSpan threshold) => new()
    {
        ["threshold_ms"] = threshold.TotalMilliseconds,
        ["count"] = stalls.Count,
        ["items"] = JsonShapes.Array(stalls, Json),
    };

    /// <summary>Writes the stalls as a table (nothing when there are none).</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<RunStall> stalls, TimeSpan threshold)
    {
        if (stalls.Count == 0)
        {
            return;
        }
        console.Write(new Rule($"Stalls: {stalls.Count} gap(s) over {Tables.Duration(threshold.TotalMilliseconds)}").LeftJustified());
        var t = Tables.Create("gap", "from (UTC)", "last event before", "first event after");
        foreach (var s in stalls)
        {
            t.Row(Tables.Duration(s.Gap.TotalMilliseconds), Tables.Time(s.Before.Timestamp), Tables.OneLine(s.Before.Message, 50),
                s.After is null ? "(still quiet)" : Tables.OneLine(s.After.Message, 50));
        }
        console.Write(t);
    }
}
