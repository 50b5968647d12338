// Job: the read side of the ArangoDB store: search, stream, runs, latest response, summary, errors, learnings.
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage.Rules;

namespace AgentScript.Storage.Arango;

internal sealed partial class ArangoLogStore
{
    private const int ErrorLimit = 1000;

    private string ViewQuery(string aql) => WaitForViewSync ? AqlQueries.WithViewSync(aql) : aql;

    /// <inheritdoc/>
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        QueryArguments.Search(query);
        var bind = new JsonObject
        {
            ["text"] = query.Text,
            ["level"] = query.Level is null ? null : LogLevels.Normalize(query.Level),
            ["script"] = query.ScriptName,
            ["execution"] = query.ExecutionId,
            ["category"] = query.Category,
            ["since"] = TimeOrNull(query.Since),
            ["until"] = TimeOrNull(query.Until),
            ["offset"] = query.Offset,
            ["limit"] = query.Limit,
        };
        return Guard<IReadOnlyList<SearchHit>>(async () =>
        {
            var (rows, _) = await _client.QueryAllAsync(ViewQuery(AqlQueries.SearchEvents), bind, cancellationToken: cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(r => new SearchHit(ArangoDocuments.ToEvent(r.GetProperty("doc")), r.GetProperty("score").GetDouble()))];
        });
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StreamedEvent> StreamEventsAsync(EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!QueryArguments.Stream(filter))
        {
            yield break;
        }
        var bind = new JsonObject
        {
            ["level"] = filter.Level is null ? null : LogLevels.Normalize(filter.Level),
            ["script"] = filter.ScriptName,
            ["execution"] = filter.ExecutionId,
            ["category"] = filter.Category,
            ["since"] = TimeOrNull(filter.Since),
            ["until"] = TimeOrNull(filter.Until),
            ["after"] = filter.AfterPosition,
            ["limit"] = filter.Limit ?? int.MaxValue,
        };
        var aql = AqlQueries.StreamEvents;
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            bind["text"] = filter.Text;
            aql = ViewQuery(AqlQueries.StreamEventsMatching);
        }
        // A stream cursor lives on the server between batches: its TTL (ArangoQueryOptions.StreamTtlSeconds) outlasts a slow consumer.
        var options = new ArangoQueryOptions { BatchSize = 1000, Stream = true };
        await using var e = _client.QueryAsync(aql, bind, options, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            JsonElement current;
            try
            {
                if (!await e.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
                current = e.Current;
            }
            catch (ArangoException ex)
            {
                throw Translate(ex);
            }
            yield return new StreamedEvent(current.GetProperty("seq").GetInt64(), ArangoDocuments.ToEvent(current));
        }
    }

    /// <inheritdoc/>
    public Task<ScriptRun?> GetRunAsync(string executionId, CancellationToken cancellationToken = default)
    {
        QueryArguments.ExecutionId(executionId);
        return Guard(() => ReadRunAsync(executionId, cancellationToken));
    }

    private async Task<ScriptRun?> ReadRunAsync(string executionId, CancellationToken cancellationToken)
    {
        var doc = await _client.GetDocumentAsync(ArangoSchema.Runs, executionId, cancellationToken).ConfigureAwait(false);
        return doc is { } d ? RunLiveness.Resolve(ArangoDocuments.ToRun(d)) : null;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        QueryArguments.Runs(query);
        var pagesLater = RunPaging.PagesAfterLiveness(query);
        var bind = new JsonObject
        {
            ["script"] = query.ScriptName,
            ["statuses"] = RunPaging.StoredStatuses(query) is { } statuses ? new JsonArray([.. statuses.Select(s => (JsonNode?)JsonValue.Create(s))]) : null,
            ["since"] = TimeOrNull(query.Since),
            // Running and abandoned are told apart after the liveness check, so those pages are cut afterwards.
            ["offset"] = pagesLater ? 0 : query.Offset,
            ["limit"] = pagesLater ? int.MaxValue : query.Limit,
        };
        return Guard<IReadOnlyList<ScriptRun>>(async () =>
        {
            var (rows, _) = await _client.QueryAllAsync(AqlQueries.ListRuns, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
            return RunPaging.Finish(query, rows.Select(ArangoDocuments.ToRun));
        });
    }

    /// <inheritdoc/>
    public Task<LatestResponse?> GetLatestResponseAsync(string? scriptName, string? executionId = null, CancellationToken cancellationToken = default)
    {
        QueryArguments.Latest(scriptName, executionId);
        return Guard(async () =>
        {
            if (executionId is not null)
            {
                if (await ReadRunAsync(executionId, cancellationToken).ConfigureAwait(false) is not { } run)
                {
                    return null;
                }
                var response = ProgressRules.FinalResponse(run, run.FinalResponseJson is null ? await FinalResponseEventAsync(executionId, cancellationToken).ConfigureAwait(false) : null);
                return response is null ? null : ToLatest(run, response);
            }
            var (rows, _) = await _client.QueryAllAsync(AqlQueries.LatestResponse, new JsonObject { ["script"] = scriptName }, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                return null;
            }
            var latest = ArangoDocuments.ToRun(rows[0]);
            return ToLatest(latest, latest.FinalResponseJson!);
        });
    }

    private static LatestResponse ToLatest(ScriptRun run, string response) =>
        new(run.ExecutionId, run.ScriptName, run.Mode, run.Status, run.EndTime ?? run.StartTime, response);

    private async Task<string?> FinalResponseEventAsync(string executionId, CancellationToken cancellationToken)
    {
        var (rows, _) = await _client.QueryAllAsync(AqlQueries.FinalResponseEvent, new JsonObject { ["execution"] = executionId }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 || rows[0].ValueKind is JsonValueKind.Null ? null : rows[0].GetRawText();
    }

    /// <inheritdoc/>
    public Task<ExecutionSummary?> GetExecutionSummaryAsync(string executionId, CancellationToken cancellationToken = default)
    {
        QueryArguments.ExecutionId(executionId);
        return Guard(async () =>
        {
            if (await ReadRunAsync(executionId, cancellationToken).ConfigureAwait(false) is not { } run)
            {
                return null;
            }
            var (rows, _) = await _client.QueryAllAsync(AqlQueries.ExecutionSummary, new JsonObject { ["execution"] = executionId }, cancellationToken: cancellationToken).ConfigureAwait(false);
            var s = rows[0];
            var counts = s.GetProperty("counts").EnumerateArray().ToDictionary(c => c.GetProperty("level").GetString()!, c => c.GetProperty("n").GetInt64());
            var span = s.GetProperty("span");
            var finalEvent = s.TryGetProperty("finalEvent", out var fe) && fe.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? fe.GetRawText() : null;
            return (ExecutionSummary?)new ExecutionSummary
            {
                Run = run,
                CountsByLevel = counts,
                EventCount = counts.Values.Sum(),
                Errors = [.. s.GetProperty("errors").EnumerateArray().Select(ArangoDocuments.ToEvent)],
                Learnings = [.. s.GetProperty("learnings").EnumerateArray().Select(ArangoDocuments.ToLearning)],
                Progress = ProgressRules.ForSummary(s.GetProperty("progress").EnumerateArray().Select(ArangoDocuments.ToEvent), run),
                FinalResponseJson = ProgressRules.FinalResponse(run, finalEvent),
                FirstEvent = ArangoDocuments.Str(span, "first") is { } f ? ArangoDocuments.ParseTime(f) : null,
                LastEvent = ArangoDocuments.Str(span, "last") is { } l ? ArangoDocuments.ParseTime(l) : null,
            };
        });
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Two queries whatever the number of errors: the errors themselves, then one ordered range scan of the run's
    /// events (limited to the errors' time span when the window is a time) from which every error's context is cut
    /// in one pass (<see cref="ErrorContext"/>).
    /// </remarks>
    public Task<IReadOnlyList<ErrorWithContext>> GetErrorsAsync(string executionId, ContextWindow window, CancellationToken cancellationToken = default)
    {
        QueryArguments.ExecutionId(executionId);
        ArgumentNullException.ThrowIfNull(window);
        return Guard<IReadOnlyList<ErrorWithContext>>(async () =>
        {
            var (errorRows, _) = await _client.QueryAllAsync(AqlQueries.RunErrors, new JsonObject { ["execution"] = executionId, ["limit"] = ErrorLimit }, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (errorRows.Count == 0)
            {
                return [];
            }
            var errors = errorRows.Select(ArangoDocuments.ToEvent).ToList();
            var bind = new JsonObject
            {
                ["execution"] = executionId,
                ["from"] = window.Time is { } t1 ? ArangoDocuments.Time(errors[0].Timestamp - t1) : null,
                ["to"] = window.Time is { } t2 ? ArangoDocuments.Time(errors[^1].Timestamp + t2) : null,
            };
            var context = new ErrorContext(errors, window);
            await foreach (var row in _client.QueryAsync(AqlQueries.RunEventsBetween, bind, new ArangoQueryOptions { BatchSize = 1000, Stream = true }, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                context.Add(ArangoDocuments.ToEvent(row));
            }
            return context.Result();
        });
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AgentLearning>> GetLearningsAsync(LearningQuery query, CancellationToken cancellationToken = default)
    {
        QueryArguments.Learnings(query);
        var bind = new JsonObject
        {
            ["execution"] = query.ExecutionId,
            ["script"] = query.ScriptName,
            ["function"] = query.FunctionName,
            ["minConfidence"] = query.MinConfidence,
            ["since"] = TimeOrNull(query.Since),
            ["limit"] = query.Limit,
        };
        var aql = AqlQueries.Learnings;
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            bind["text"] = query.Text;
            aql = ViewQuery(AqlQueries.LearningsMatching);
        }
        return Guard<IReadOnlyList<AgentLearning>>(async () =>
        {
            var (rows, _) = await _client.QueryAllAsync(aql, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(ArangoDocuments.ToLearning)];
        });
    }
}
