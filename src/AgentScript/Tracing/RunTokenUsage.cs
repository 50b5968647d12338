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
        long input = 0, output = 0;
        var calls = 0;
        await foreach (var e in store.StreamEventsAsync(new EventFilter { ExecutionId = executionId, Category = LogCategories.SpanEnd }, cancellationToken).ConfigureAwait(false))
        {
            if (e.Event.ExtraJson is not { } extra || !extra.Contains(CapturedAttributes.InputTokens, StringComparison.Ordinal) && !extra.Contains(CapturedAttributes.OutputTokens, StringComparison.Ordinal))
            {
                continue;
            }
            using var doc = JsonDocument.Parse(extra);
            var i = Number(doc.RootElement, CapturedAttributes.InputTokens);
            var o = Number(doc.RootElement, CapturedAttributes.OutputTokens);
            if (i is null && o is null)
            {
                continue;
            }
            input += i ?? 0;
            output += o ?? 0;
            calls++;
        }
        return new RunTokenUsage(input, output, calls);
    }

    private static long? Number(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
