// Job: progress and final-response fallbacks, the same in both stores.
using System.Globalization;
using System.Text.Json;
using AgentScript.Model;

namespace AgentScript.Storage.Rules;

/// <summary>
/// How a store reads progress and final responses when the run record lacks them: a PROGRESS event's stage and
/// percent come from its payload, else its extra properties (any case), else its message with 0 %; a summary with no
/// PROGRESS events shows the run's stored progress; a run without a stored final response falls back to the payload
/// of its latest <c>SCRIPT_FINAL_RESPONSE</c> event.
/// </summary>
internal static class ProgressRules
{
    /// <summary>A PROGRESS event as a progress report.</summary>
    public static RunProgress FromEvent(LogEventRecord e)
    {
        foreach (var json in new[] { e.PayloadJson, e.ExtraJson })
        {
            if (json is null)
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(json);
                if (FromObject(doc.RootElement, e.Timestamp) is { } p)
                {
                    return p;
                }
            }
            catch (JsonException)
            {
                // Not JSON: fall back to the message.
            }
        }
        return new RunProgress(e.Message, 0, e.Timestamp, e.ExtraJson);
    }

    /// <summary>
    /// A progress report from a JSON object with <c>stage</c>/<c>percent</c>/<c>time</c>/<c>metadata</c> (any case);
    /// null without a stage or without a time (own or <paramref name="fallbackTime"/>).
    /// </summary>
    public static RunProgress? FromObject(JsonElement root, DateTimeOffset? fallbackTime)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        string? stage = null;
        double percent = 0;
        DateTimeOffset? time = null;
        string? metadata = null;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name.ToLowerInvariant())
            {
                case "stage":
                    stage = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
                    break;
                case "percent":
                    if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var d))
                    {
                        percent = d;
                    }
                    break;
                case "time":
                    if (p.Value.ValueKind == JsonValueKind.String
                        && DateTimeOffset.TryParse(p.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                    {
                        time = t;
                    }
                    break;
                case "metadata":
                    metadata = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetRawText();
                    break;
            }
        }
        return stage is null || (time ?? fallbackTime) is not { } when ? null : new RunProgress(stage, percent, when, metadata);
    }

    /// <summary>The progress list of a summary: the PROGRESS events, or the run's stored progress when there are none.</summary>
    public static List<RunProgress> ForSummary(IEnumerable<LogEventRecord> progressEvents, ScriptRun run)
    {
        var list = progressEvents.Select(FromEvent).ToList();
        if (list.Count == 0 && run.Progress is { } stored)
        {
            list.Add(stored);
        }
        return list;
    }

    /// <summary>The final response of a run: the stored one, else the latest final-response event's payload.</summary>
    public static string? FinalResponse(ScriptRun run, string? latestFinalResponseEventPayload) =>
        run.FinalResponseJson ?? latestFinalResponseEventPayload;
}
