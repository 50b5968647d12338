// Job: prune in bounded batches, stored relations and the execution graph of the ArangoDB store.
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage.Rules;

namespace AgentScript.Storage.Arango;

internal sealed partial class ArangoLogStore
{
    /// <summary>Documents removed per prune transaction: big enough to be quick, small enough for the server's memory.</summary>
    internal int PruneBatchSize { get; init; } = 5000;

    /// <inheritdoc/>
    /// <remarks>
    /// Removes in batches of <see cref="PruneBatchSize"/>, each its own transaction: the ids of the next batch of events
    /// (read through the timestamp, category or execution indexes), the relations touching them (edge index), the
    /// events; then runs, their learnings and the relations touching those. A removing query is never repeated after
    /// a lost answer (its count would be wrong); the prune stops with the error and can be run again.
    /// </remarks>
    public Task<PruneResult> PruneAsync(PruneRequest request, CancellationToken cancellationToken = default)
    {
        QueryArguments.Prune(request);
        return Guard(async () =>
        {
            var cutoff = request.OlderThan is { } age ? ArangoDocuments.Time(_time.GetUtcNow() - age) : null;
            var ids = request.ExecutionIds is { Count: > 0 } list ? new JsonArray([.. list.Select(x => (JsonNode?)JsonValue.Create(x))]) : null;
            JsonObject Bind() => new()
            {
                ["cutoff"] = cutoff, ["category"] = request.Category, ["ids"] = ids?.DeepClone(),
                ["pruneRuns"] = request.Category is null, ["batch"] = PruneBatchSize,
                // Learnings are the agents' knowledge: kept unless asked for, then those of the pruned runs go too.
                ["pruneLearnings"] = request.Category is null && request.IncludeLearnings,
            };
            if (request.DryRun)
            {
                var relations = await CountAsync(AqlQueries.PruneRelationsCount, Without(Bind(), "batch"), cancellationToken).ConfigureAwait(false);
                var events = await CountAsync(AqlQueries.PruneEventsCount, Without(Bind(), "batch", "pruneRuns", "pruneLearnings"), cancellationToken).ConfigureAwait(false);
                var runsCount = await CountAsync(AqlQueries.PruneRunsCount, Without(Bind(), "batch", "category", "pruneLearnings"), cancellationToken).ConfigureAwait(false);
                var learnings = await CountAsync(AqlQueries.PruneLearningsCount, Without(Bind(), "batch", "category"), cancellationToken).ConfigureAwait(false);
                return new PruneResult(events, runsCount, learnings, relations, DryRun: true);
            }
            long removedEvents = 0, removedRelations = 0, removedRuns = 0, removedLearnings = 0;
            while (true)
            {
                var batch = await HandlesAsync(AqlQueries.PruneEventIds, Without(Bind(), "pruneRuns", "pruneLearnings"), cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    break;
                }
                removedRelations += await RemoveAsync(AqlQueries.RemoveRelationsOf, new JsonObject { ["handles"] = batch.DeepClone() }, cancellationToken).ConfigureAwait(false);
                var removed = await RemoveAsync(AqlQueries.RemoveEventsByIds, new JsonObject { ["handles"] = batch }, cancellationToken).ConfigureAwait(false);
                removedEvents += removed;
                // A batch that removed nothing would be selected again for ever (e.g. removed meanwhile by the TTL index).
                if (batch.Count < PruneBatchSize || removed == 0)
                {
                    break;
                }
            }
            while (request.Category is null)
            {
                var keys = await HandlesAsync(AqlQueries.PruneRunKeys, Without(Bind(), "category", "pruneLearnings"), cancellationToken).ConfigureAwait(false);
                if (keys.Count == 0)
                {
                    break;
                }
                while (request.IncludeLearnings)
                {
                    var learnings = await HandlesAsync(AqlQueries.PruneLearningIds, new JsonObject { ["runKeys"] = keys.DeepClone(), ["batch"] = PruneBatchSize }, cancellationToken).ConfigureAwait(false);
                    if (learnings.Count == 0)
                    {
                        break;
                    }
                    removedRelations += await RemoveAsync(AqlQueries.RemoveRelationsOf, new JsonObject { ["handles"] = learnings.DeepClone() }, cancellationToken).ConfigureAwait(false);
                    var removed = await RemoveAsync(AqlQueries.RemoveLearningsByIds, new JsonObject { ["handles"] = learnings }, cancellationToken).ConfigureAwait(false);
                    removedLearnings += removed;
                    if (learnings.Count < PruneBatchSize || removed == 0)
                    {
                        break;
                    }
                }
                var runHandles = new JsonArray([.. keys.Select(k => (JsonNode?)JsonValue.Create($"{ArangoSchema.Runs}/{k!.GetValue<string>()}"))]);
                removedRelations += await RemoveAsync(AqlQueries.RemoveRelationsOf, new JsonObject { ["handles"] = runHandles.DeepClone() }, cancellationToken).ConfigureAwait(false);
                var runsRemoved = await RemoveAsync(AqlQueries.RemoveRunsByIds, new JsonObject { ["handles"] = runHandles }, cancellationToken).ConfigureAwait(false);
                removedRuns += runsRemoved;
                if (keys.Count < PruneBatchSize || runsRemoved == 0)
                {
                    break;
                }
            }
            return new PruneResult(removedEvents, removedRuns, removedLearnings, removedRelations, DryRun: false);
        });
    }

    private static JsonObject Without(JsonObject bind, params string[] names)
    {
        foreach (var n in names)
        {
            bind.Remove(n);
        }
        return bind;
    }

    private async Task<JsonArray> HandlesAsync(string aql, JsonObject bind, CancellationToken cancellationToken)
    {
        var (rows, _) = await _client.QueryAllAsync(aql, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new JsonArray([.. rows.Select(r => (JsonNode?)JsonValue.Create(r.GetString()))]);
    }

    private async Task<long> CountAsync(string aql, JsonObject bind, CancellationToken cancellationToken)
    {
        var (rows, _) = await _client.QueryAllAsync(aql, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? 0 : rows[0].GetInt64();
    }

    private async Task<long> RemoveAsync(string aql, JsonObject bind, CancellationToken cancellationToken)
    {
        var (_, last) = await _client.QueryAllAsync(aql, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
        return last.WritesExecuted;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LogRelation>> GetRelationsAsync(string? handle, CancellationToken cancellationToken = default) => Guard<IReadOnlyList<LogRelation>>(async () =>
    {
        var (rows, _) = await _client.QueryAllAsync(AqlQueries.Relations, new JsonObject { ["handle"] = handle }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ArangoDocuments.ToRelation)];
    });

    /// <inheritdoc/>
    public Task<ExecutionGraph?> GetExecutionGraphAsync(string executionId, CancellationToken cancellationToken = default)
    {
        QueryArguments.ExecutionId(executionId);
        return Guard(async () =>
        {
            var (rows, _) = await _client.QueryAllAsync(AqlQueries.ExecutionGraph,
                new JsonObject { ["execution"] = executionId, ["maxEvents"] = ExecutionGraphRules.MaxEvents }, cancellationToken: cancellationToken).ConfigureAwait(false);
            var g = rows[0];
            if (!g.TryGetProperty("run", out var runDoc) || runDoc.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var run = RunLiveness.Resolve(ArangoDocuments.ToRun(runDoc));
            var events = g.GetProperty("events").EnumerateArray().Select(ArangoDocuments.ToEvent).ToList();
            var learnings = g.GetProperty("learnings").EnumerateArray().Select(ArangoDocuments.ToLearning).ToList();
            var stored = g.GetProperty("stored").EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).Select(ArangoDocuments.ToRelation);
            return (ExecutionGraph?)ExecutionGraphRules.Build(run, events, learnings, stored);
        });
    }
}
