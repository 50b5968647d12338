// Job: how a run diff is shown: the --json shape and a text form that fits an 80–120 column terminal.
using System.Globalization;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Cli.Output;

/// <summary>The JSON and text forms of <see cref="RunDiff"/> (documented in docs/cli.md, <c>diff</c>).</summary>
internal static class RunDiffShapes
{
    private static JsonObject Side(ScriptRun r) => new()
    {
        ["execution_id"] = r.ExecutionId,
        ["script_name"] = r.ScriptName,
        ["mode"] = r.Mode,
        ["status"] = r.Status.ToName(),
        ["start_time"] = JsonShapes.Time(r.StartTime),
        ["duration_ms"] = r.DurationMs,
        ["error"] = r.Error is null ? null : new JsonObject { ["type"] = r.Error.Type, ["message"] = r.Error.Message },
    };

    /// <summary>The <c>--json</c> shape.</summary>
    public static JsonObject Json(RunDiff d) => new()
    {
        ["a"] = Side(d.RunA),
        ["b"] = Side(d.RunB),
        ["status_changed"] = d.RunA.Status != d.RunB.Status,
        ["duration_change_ms"] = d.DurationChangeMs,
        ["response_changes"] = JsonShapes.Array(d.ResponseChanges, c => new JsonObject
        {
            ["path"] = c.Path,
            ["kind"] = c.Kind,
            ["before"] = JsonShapes.Embedded(c.Before),
            ["after"] = JsonShapes.Embedded(c.After),
        }),
        ["response_changes_truncated"] = d.ResponseChangesTruncated,
        ["levels"] = JsonShapes.Array(d.Levels, l => new JsonObject { ["level"] = l.Level, ["a"] = l.A, ["b"] = l.B, ["change"] = l.B - l.A }),
        ["errors_appeared"] = JsonShapes.Array(d.ErrorsAppeared, e => JsonValue.Create(e)),
        ["errors_disappeared"] = JsonShapes.Array(d.ErrorsDisappeared, e => JsonValue.Create(e)),
        ["spans"] = JsonShapes.Array(d.Spans, s => new JsonObject
        {
            ["function_name"] = s.FunctionName,
            ["a_ms"] = s.DurationMsA,
            ["b_ms"] = s.DurationMsB,
            ["change_ms"] = Math.Round(s.ChangeMs, 3),
            ["a_calls"] = s.CallsA,
            ["b_calls"] = s.CallsB,
        }),
        ["learnings_between"] = JsonShapes.Array(d.LearningsBetween, JsonShapes.Learning),
    };

    /// <summary>The text form, one line per fact, each cut to <paramref name="width"/> columns.</summary>
    public static IEnumerable<string> Text(RunDiff d, int width)
    {
        width = Math.Clamp(width, 60, 120);
        string Cut(string s) => Tables.OneLine(s, width);
        yield return Cut($"A  {d.RunA.ExecutionId}  {d.RunA.Mode}  {d.RunA.Status.ToName()}  {Tables.Duration(d.RunA.DurationMs)}");
        yield return Cut($"B  {d.RunB.ExecutionId}  {d.RunB.Mode}  {d.RunB.Status.ToName()}  {Tables.Duration(d.RunB.DurationMs)}");
        var status = d.RunA.Status == d.RunB.Status ? $"status {d.RunB.Status.ToName()} (unchanged)" : $"status {d.RunA.Status.ToName()} -> {d.RunB.Status.ToName()}";
        var duration = d.DurationChangeMs is { } ms ? $", duration {(ms >= 0 ? "+" : "-")}{Tables.Duration(Math.Abs(ms))}" : "";
        yield return Cut(status + duration);
        yield return "";
        yield return d.ResponseChanges.Count == 0 ? "Final response: identical" : $"Final response: {d.ResponseChanges.Count}{(d.ResponseChangesTruncated ? "+" : "")} change(s)";
        foreach (var c in d.ResponseChanges.Take(40))
        {
            var mark = c.Kind switch { "added" => "+", "removed" => "-", _ => "~" };
            var value = c.Kind switch
            {
                "added" => c.After,
                "removed" => c.Before,
                _ => $"{Tables.OneLine(c.Before, 40)} -> {Tables.OneLine(c.After, 40)}",
            };
            yield return Cut($"  {mark} {c.Path}  {value}");
        }
        if (d.ResponseChanges.Count > 40)
        {
            yield return $"  … {d.ResponseChanges.Count - 40} more (use --json)";
        }
        yield return "";
        yield return Cut("Events by level: " + string.Join(", ", d.Levels.Select(l => $"{l.Level} {l.A}->{l.B}")));
        if (d.ErrorsAppeared.Count > 0)
        {
            yield return Cut("Errors appeared: " + string.Join(", ", d.ErrorsAppeared));
        }
        if (d.ErrorsDisappeared.Count > 0)
        {
            yield return Cut("Errors disappeared: " + string.Join(", ", d.ErrorsDisappeared));
        }
        if (d.Spans.Count > 0)
        {
            yield return "";
            yield return "Spans whose duration changed most (total per function, A -> B):";
            foreach (var s in d.Spans)
            {
                var change = (s.ChangeMs >= 0 ? "+" : "-") + Tables.Duration(Math.Abs(s.ChangeMs));
                yield return Cut($"  {Tables.OneLine(s.FunctionName, 40),-40} {Ms(s.DurationMsA),10} -> {Ms(s.DurationMsB),-10} {change}");
            }
        }
        if (d.LearningsBetween.Count > 0)
        {
            yield return "";
            yield return $"Learnings recorded in between ({d.LearningsBetween.Count}):";
            foreach (var l in d.LearningsBetween)
            {
                yield return Cut($"  {Tables.Time(l.Timestamp)}  {l.Confidence.ToString("0.##", CultureInfo.InvariantCulture)}  {l.Learning}");
            }
        }
    }

    private static string Ms(double? ms) => ms is null ? "(absent)" : Tables.Duration(ms);
}
