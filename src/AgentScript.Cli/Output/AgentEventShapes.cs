// Job: reading and showing a run's typed agent events (action, decision, state change, reward).
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;
using Spectre.Console;

namespace AgentScript.Cli.Output;

/// <summary>The typed agent events of a run, for <c>show</c> and the report.</summary>
internal static class AgentEventShapes
{
    /// <summary>Most typed events listed by <c>show</c>.</summary>
    public const int MaxShown = 200;

    /// <summary>True for AGENT_ACTION, AGENT_DECISION, AGENT_STATE_CHANGE and AGENT_REWARD events.</summary>
    public static bool IsAgentEvent(LogEventRecord e) => LogCategories.AgentEvents.Contains(e.Category);

    /// <summary>The run's typed events in time order (first <see cref="MaxShown"/>).</summary>
    public static async Task<IReadOnlyList<LogEventRecord>> ReadAsync(IAgentLogStore store, string executionId, CancellationToken ct)
    {
        var list = new List<LogEventRecord>();
        foreach (var category in LogCategories.AgentEvents)
        {
            await foreach (var se in store.StreamEventsAsync(new EventFilter { ExecutionId = executionId, Category = category, Limit = MaxShown }, ct))
            {
                list.Add(se.Event);
            }
        }
        return list.OrderBy(e => e.Timestamp).Take(MaxShown).ToList();
    }

    /// <summary>Writes them as a table (nothing when there are none).</summary>
    public static void Write(IAnsiConsole console, IReadOnlyList<LogEventRecord> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        console.Write(new Rule($"Agent events ({events.Count})").LeftJustified());
        var t = Tables.Create("time (UTC)", "kind", "message");
        foreach (var e in events)
        {
            t.Row(Tables.Time(e.Timestamp), e.Category.Replace("AGENT_", "", StringComparison.Ordinal).ToLowerInvariant(), Tables.OneLine(e.Message, 110));
        }
        console.Write(t);
    }
}
