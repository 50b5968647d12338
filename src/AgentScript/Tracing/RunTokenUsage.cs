// Job: sum a run's LLM token use from its stored captured spans.
using System.Text.Json;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;

namespace AgentScript.Tracing;

/// <summary>A run's LLM token use: the sums of <c>input_tokens</c> and <c>output_tokens</c> over its <c>SPAN_END</c> events.</summary>
/// <param name="InputTokens">Input (prompt) tokens.</param>
/// <param name="OutputTokens">Output (completion) tokens.</param>
/// <param name="Calls">Spans that reported token use.</param>
internal sealed record RunTokenUsage(long InputTokens, long OutputTokens, int Calls)
{
    /// <summary>Reads the run's span ends from the store (the store is the record; nothing is kept in memory).</summary>
    public static async Task<RunTokenUsage> ForRunAsync(IAgentLogStore store, string executionId, CancellationToken cancellationToken = default)
    {
        var sum = new RunTokenUsage(0, 0, 0);
        await foreach (var e in store.StreamEventsAsync(new EventFilter { ExecutionId = executionId, Category = LogCategories.SpanEnd }, cancellationToken).ConfigureAwait(false))
        {
            sum = sum.Add(e.Event);
        }
        return sum;
    }

    /// <summary>Sums the token use of <paramref name="events"/> (any events; only span ends count).</summary>
    public static RunTokenUsage From(IEnumerable<LogEventRecord> events) =>
        events.Aggregate(new RunTokenUsage(0, 0, 0), static (sum, e) => sum.Add(e));

    private RunTokenUsage Add(LogEventRecord e)
    {
        if (e.Category != LogCategories.SpanEnd || e.ExtraJson is not { } extra
            || !extra.Contains(CapturedAttributes.InputTokens, StringComparison.Ordinal) && !extra.Contains(CapturedAttributes.OutputTokens, StringComparison.Ordinal))
        {
            return this;
        }
        try
        {
            using var doc = JsonDocument.Parse(extra);
            var i = Number(doc.RootElement, CapturedAttributes.InputTokens);
            var o = Number(doc.RootElement, CapturedAttributes.OutputTokens);
            return i is null && o is null ? this : new RunTokenUsage(InputTokens + (i ?? 0), OutputTokens + (o ?? 0), Calls + 1);
        }
        catch (JsonException)
        {
            return this; // Not ours: a stored extra that is not a JSON object.
        }
    }

    private static long? Number(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
