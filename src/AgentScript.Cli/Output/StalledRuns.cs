// Job: the stalled runs among the newest runs of a window (for agentlog stats).
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using Spectre.Console;

namespace AgentScript.Cli.Output;

/// <summary>Checks the newest runs of a window for stalls; JSON <c>{threshold_ms, checked_runs, runs: [..]}</c>.</summary>
internal static class StalledRuns
{
    /// <summary>How many of the newest runs are checked (each check streams the run's events).</summary>
    public const int MaxRunsChecked = 50;

    /// <summary>One stalled run.</summary>
    public sealed record Item(ScriptRun Run, IReadOnlyList<RunStall> Stalls);

    /// <summary>The stalled runs among the newest <see cref="MaxRunsChecked"/> since <paramref name="since"/>.</summary>
    public static async Task<(IReadOnlyList<Item> Stalled, int Checked)> FindAsync(IAgentLogStore store, string? scriptName, DateTimeOffset since, TimeSpan threshold, CancellationToken ct)
    {
        var runs = await store.ListRunsAsync(new RunQuery { ScriptName = scriptName, Since = since, Limit = MaxRunsChecked }, ct);
        var stalled = new List<Item>();
        foreach (var run in runs)
        {
            var stalls = await RunStalls.FindAsync(store, run.ExecutionId, threshold, ct);
            if (stalls.Count > 0)
            {
                stalled.Add(new Item(run, stalls));
            }
        }
        return (stalled, runs.Count);
    }

    /// <summary>The <c>stalled_runs</c> section of <c>stats --json</c>.</summary>
    public static JsonObject Json(IReadOnlyList<Item> stalled, int checkedRuns, TimeSpan threshold) => new()
    {
        ["threshold_ms"] = threshold.TotalMilliseconds,
        ["checked_runs"] = checkedRuns,
        ["runs"] = JsonShapes.Array(stalled, i => new JsonObject
        {
            ["execution_id"] = i.Run.ExecutionId,
            ["script_name"] = i.Run.ScriptName,
            ["status"] = i.Run.Status.ToName(),
            ["stalls"] = i.Stalls.Count,
            ["longest_gap_ms"] = Math.Round(i.Stalls.Max(s => s.Gap).TotalMilliseconds, 3),
            ["first_stall"] = StallShapes.Json(i.Stalls[0]),
        }),
    };

    /// <summary>A table of stalled runs (nothing when there are none).</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<Item> stalled, int checkedRuns, TimeSpan threshold)
    {
        if (stalled.Count == 0)
        {
            return;
        }
        console.Write(new Rule($"Stalled runs ({stalled.Count} of the newest {checkedRuns}; gaps over {Tables.Duration(threshold.TotalMilliseconds)})").LeftJustified());
        var t = Tables.Create("execution id", "status", "stalls", "longest gap", "quiet after");
        foreach (var i in stalled)
        {
            var longest = i.Stalls.MaxBy(s => s.Gap)!;
            t.Row(i.Run.ExecutionId, i.Run.Status.ToName(), i.Stalls.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Tables.Duration(longest.Gap.TotalMilliseconds), Tables.OneLine(longest.Before.Message, 50));
        }
        console.Write(t);
        console.WriteLine("Each gap with the events around it: agentlog errors <execution-id>");
    }
}
