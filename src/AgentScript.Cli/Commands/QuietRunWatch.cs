// Job: tail --follow's watch for live runs that have gone quiet (no event for longer than the stall threshold).
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage;

namespace AgentScript.Cli.Commands;

/// <summary>
/// Remembers the last event of each run seen while following; a run still <c>running</c> whose last event is older than
/// the threshold is flagged once (again only after it logs something new). Text: a <c>!!</c> line; JSON: a
/// <c>{"quiet_run": {execution_id, quiet_ms, threshold_ms, last_event}}</c> line.
/// </summary>
internal sealed class QuietRunWatch(TimeSpan threshold)
{
    private const int MaxRunsWatched = 1000;
    private readonly Dictionary<string, LogEventRecord> _last = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flagged = new(StringComparer.Ordinal);

    public void Observe(LogEventRecord e)
    {
        if (e.ExecutionId is not { } id)
        {
            return;
        }
        _flagged.Remove(id);
        if (e.Category == LogCategories.RunEnd)
        {
            _last.Remove(id);
        }
        else if (_last.Count < MaxRunsWatched || _last.ContainsKey(id))
        {
            _last[id] = e;
        }
    }

    public async Task CheckAsync(CliContext ctx, IAgentLogStore store, CancellationToken ct)
    {
        foreach (var (id, last) in _last.ToList())
        {
            if (_flagged.Contains(id) || RunStalls.Silence(last, ctx.Now, threshold) is not { } silence)
            {
                continue;
            }
            if ((await store.GetRunAsync(id, ct))?.Status != RunStatus.Running)
            {
                _last.Remove(id);
                continue;
            }
            _flagged.Add(id);
            if (ctx.Json)
            {
                ctx.Out.WriteLine(new JsonObject
                {
                    ["quiet_run"] = new JsonObject
                    {
                        ["execution_id"] = id,
                        ["quiet_ms"] = Math.Round(silence.Gap.TotalMilliseconds),
                        ["threshold_ms"] = threshold.TotalMilliseconds,
                        ["last_event"] = JsonShapes.Event(last),
                    },
                }.ToJsonString(JsonShapes.Compact));
            }
            else
            {
                ctx.Out.WriteLine($"!! {id} is running but has logged nothing for {Tables.Duration(silence.Gap.TotalMilliseconds)} " +
                    $"(last: {Tables.OneLine(last.Message, 60)}) — see agentlog errors {id}");
            }
        }
    }
}
