// Job: apply a batch of writes: keyed inserts in bulk, run changes as UPSERTs; refuse only what can never succeed.
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Storage.Rules;

namespace AgentScript.Storage.Arango;

internal sealed partial class ArangoLogStore
{
    /// <summary>UPSERTs and keyed inserts may be sent twice with the effect of once: the client may repeat them.</summary>
    private static readonly ArangoQueryOptions RepeatableWrite = new() { Repeatable = true };

    /// <inheritdoc/>
    /// <remarks>
    /// A write is refused (dead-lettered by the sink) only when the server could never accept it: a shape the shared
    /// <see cref="WriteRules"/> refuse, a schema violation (1620) or an illegal key (1221). What the server reports as
    /// passing — write-write conflict 1200, lock timeout 18, cluster timeout 1457, leadership changes 1491/1495/1496,
    /// write concern 1004/1429, and 1210 on an UPSERT (two writers inserted the same run at once; the retry updates
    /// it) — fails the whole batch as unavailable, and the sink writes it again later; keyed inserts with
    /// <c>overwriteMode=ignore</c> and the UPSERTs make the repeat harmless.
    /// </remarks>
    public Task<WriteOutcome> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        return Guard(async () =>
        {
            var rejected = new List<RejectedWrite>();
            var i = 0;
            while (i < writes.Count)
            {
                if (WriteRules.Validate(writes[i]) is { } reason)
                {
                    rejected.Add(new RejectedWrite(writes[i++], reason));
                    continue;
                }
                var collection = InsertCollection(writes[i]);
                if (collection is not null)
                {
                    // Consecutive valid inserts into one collection go as one multi-document request.
                    var group = new List<StoreWrite>();
                    while (i < writes.Count && InsertCollection(writes[i]) == collection && WriteRules.Validate(writes[i]) is null)
                    {
                        group.Add(writes[i++]);
                    }
                    await InsertGroupAsync(collection, group, rejected, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var write = writes[i++];
                var (aql, bind) = RunChange(write);
                try
                {
                    await _client.QueryAllAsync(aql, bind, RepeatableWrite, cancellationToken).ConfigureAwait(false);
                }
                catch (ArangoException ex) when (ex.ErrorNum == 1210)
                {
                    throw new ArangoException(ArangoErrorKind.Unavailable, ex.Code, ex.ErrorNum, ex.ServerMessage,
                        $"Two writers created run {bind["key"]} at the same moment (errorNum 1210 on UPSERT); the batch is written again.", ex);
                }
                catch (ArangoException ex) when (ex.Kind is ArangoErrorKind.Validation || ex.ErrorNum is 1221)
                {
                    rejected.Add(new RejectedWrite(write, $"errorNum {ex.ErrorNum}: {ex.ServerMessage}"));
                }
            }
            return WriteRules.InInputOrder(writes, rejected);
        });
    }

    private (string Aql, JsonObject Bind) RunChange(StoreWrite write) => write switch
    {
        RunStartWrite r => (AqlQueries.StartRun, new JsonObject { ["key"] = r.Run.ExecutionId, ["doc"] = ArangoDocuments.FromRun(r.Run) }),
        ProgressWrite p => (AqlQueries.UpdateProgress, new JsonObject
        {
            ["key"] = p.ExecutionId, ["placeholder"] = Placeholder(p.ExecutionId, p.Progress.Time), ["progress"] = ArangoDocuments.FromProgress(p.Progress),
        }),
        FinalResponseWrite f => (AqlQueries.UpdateFinalResponse, new JsonObject
        {
            ["key"] = f.ExecutionId, ["placeholder"] = Placeholder(f.ExecutionId, _time.GetUtcNow()),
            ["response"] = ArangoDocuments.SafeKeys(ArangoDocuments.ParseJson(f.ResponseJson, wrapNonObject: false)),
        }),
        RunEndWrite e => (AqlQueries.EndRun, new JsonObject
        {
            ["key"] = e.End.ExecutionId, ["placeholder"] = Placeholder(e.End.ExecutionId, e.End.EndTime.AddMilliseconds(-Math.Max(0, e.End.DurationMs))),
            ["patch"] = ArangoDocuments.FromRunEnd(e.End),
        }),
        _ => throw new NotSupportedException($"Unknown write {write.GetType().Name}."),
    };

    private static string? InsertCollection(StoreWrite write) => write switch
    {
        EventWrite => ArangoSchema.Events,
        LearningWrite => ArangoSchema.Learnings,
        RelationWrite => ArangoSchema.Relations,
        _ => null,
    };

    /// <summary>
    /// The run document a progress/end/response write creates when the run's start has not arrived yet (replays
    /// can reorder); the start fills it in later. Script and start time come from the execution id when it has the usual form.
    /// </summary>
    private static JsonObject Placeholder(string executionId, DateTimeOffset fallbackStart)
    {
        var (script, start) = ExecutionIdParts.Parse(executionId);
        var run = ArangoDocuments.FromRun(new ScriptRun
        {
            ExecutionId = executionId,
            ScriptName = script ?? "unknown",
            Mode = "unknown",
            Status = RunStatus.Running,
            StartTime = start ?? fallbackStart,
        });
        run["placeholder"] = true;
        return run;
    }

    private async Task InsertGroupAsync(string collection, List<StoreWrite> group, List<RejectedWrite> rejected, CancellationToken cancellationToken)
    {
        var docs = group.Select(w => w switch
        {
            EventWrite e => ArangoDocuments.FromEvent(e.Event, _sequence.Next()),
            LearningWrite l => ArangoDocuments.FromLearning(l.Learning),
            RelationWrite r => ArangoDocuments.FromRelation(r.Relation),
            _ => throw new NotSupportedException(),
        }).ToList();
        var results = await _client.InsertManyAsync(collection, docs, ignoreExisting: true, cancellationToken).ConfigureAwait(false);
        for (var k = 0; k < results.Count && k < group.Count; k++)
        {
            var r = results[k];
            if (r.Ok)
            {
                continue;
            }
            if (ArangoRetryPolicy.IsTransientErrorNum(r.ErrorNum))
            {
                // The whole batch is written again later; items stored already are ignored then (overwriteMode=ignore).
                throw new ArangoException(ArangoErrorKind.Unavailable, 503, r.ErrorNum, r.ErrorMessage ?? "",
                    $"ArangoDB could not store an item now (errorNum {r.ErrorNum}: {r.ErrorMessage}); the batch will be written again.");
            }
            rejected.Add(new RejectedWrite(group[k], $"errorNum {r.ErrorNum}: {r.ErrorMessage}"));
        }
    }
}
