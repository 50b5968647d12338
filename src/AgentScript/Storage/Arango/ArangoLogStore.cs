using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Configuration;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage.Arango;

/// <summary>
/// The ArangoDB 3.12 store (single server or cluster). Every AQL text is in <see cref="AqlQueries"/>; user values
/// travel as bind variables only. Failures to reach the server surface as <see cref="StoreUnavailableException"/>
/// (the sink buffers and retries), rejected queries as <see cref="StoreQueryException"/>.
/// </summary>
internal sealed class ArangoLogStore : IAgentLogStore
{
    private const int MaxStreamLimit = int.MaxValue;
    private readonly ArangoClient _client;
    private readonly ArangoOptions _options;
    private readonly int _retentionDays;
    private readonly ArangoSequence _sequence = new();

    /// <summary>Opens the store described by <paramref name="options"/> (no request is sent until first use).</summary>
    /// <param name="options">Connection and cluster settings.</param>
    /// <param name="retentionDays"><c>LOG_RETENTION_DAYS</c>: the TTL of events (0 = keep for ever).</param>
    public ArangoLogStore(ArangoOptions options, int retentionDays = 30)
        : this(options, retentionDays, handler: null, retry: null)
    {
    }

    /// <summary>Opens the store; <paramref name="handler"/> replaces the network (tests).</summary>
    internal ArangoLogStore(ArangoOptions options, int retentionDays, HttpMessageHandler? handler, ArangoRetryPolicy? retry)
    {
        _options = options;
        _retentionDays = retentionDays;
        _client = new ArangoClient(options, handler, retry);
    }

    /// <summary>The client (tests and the CLI's doctor).</summary>
    internal ArangoClient Client => _client;

    /// <inheritdoc/>
    public string Kind => "arangodb";

    /// <inheritdoc/>
    public string Location => $"{ArangoClient.SafeUrl(_options.Url)} (database {_options.Database})";

    /// <inheritdoc/>
    public Task<StoreInfo> InitializeAsync(CancellationToken cancellationToken = default) => Guard(async () =>
    {
        await _client.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        var created = false;
        if (await _client.SendOrNullAsync(HttpMethod.Get, "/_api/database/current", cancellationToken: cancellationToken).ConfigureAwait(false) is null)
        {
            created = await _client.CreateDatabaseAsync(_options.Database, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        foreach (var definition in ArangoSchema.CollectionDefinitions(_options))
        {
            created |= await _client.CreateCollectionAsync(definition, cancellationToken).ConfigureAwait(false) is not null;
        }
        foreach (var (collection, index) in ArangoSchema.Indexes(_retentionDays))
        {
            await EnsureIndexAsync(collection, index, cancellationToken).ConfigureAwait(false);
        }
        var view = ArangoSchema.ViewDefinition();
        if (!await _client.CreateViewAsync(view, cancellationToken).ConfigureAwait(false))
        {
            // The view exists: make sure it has our links (an older or hand-made view may lack them).
            await _client.UpdateViewPropertiesAsync(ArangoSchema.View, new JsonObject { ["links"] = view["links"]!.DeepClone() }, cancellationToken).ConfigureAwait(false);
        }
        // A bad link does not fail the create call, so read the view back and check.
        var properties = await _client.GetViewPropertiesAsync(ArangoSchema.View, cancellationToken).ConfigureAwait(false);
        if (properties is not { } p || !p.TryGetProperty("links", out var links)
            || !links.TryGetProperty(ArangoSchema.Events, out _) || !links.TryGetProperty(ArangoSchema.Learnings, out _))
        {
            throw new StoreQueryException(
                $"The ArangoSearch view {ArangoSchema.View} in {Location} has no link to {ArangoSchema.Events} and {ArangoSchema.Learnings}. " +
                "Drop the view (it is rebuilt from the collections) and run `agentlog init` again.");
        }
        await _client.CreateGraphAsync(ArangoSchema.Graph, ArangoSchema.GraphEdges, cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, long>();
        foreach (var c in ArangoSchema.Collections)
        {
            counts[c] = await _client.CountAsync(c, cancellationToken).ConfigureAwait(false);
        }
        return new StoreInfo(Kind, Location, ArangoSchema.Version, created, counts);
    });

    private async Task EnsureIndexAsync(string collection, ArangoIndexDefinition index, CancellationToken cancellationToken)
    {
        try
        {
            await _client.EnsureIndexAsync(collection, index, cancellationToken).ConfigureAwait(false);
        }
        catch (ArangoException ex) when (index.Type == "ttl" && ex.Code is 400 or 409)
        {
            // One TTL index per collection: a changed LOG_RETENTION_DAYS means replacing the old one.
            var existing = await _client.ListIndexesAsync(collection, cancellationToken).ConfigureAwait(false);
            foreach (var old in existing.Where(i => i.Type == "ttl"))
            {
                await _client.SendAsync(HttpMethod.Delete, $"/_api/index/{old.Id}", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            await _client.EnsureIndexAsync(collection, index, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public Task<WriteOutcome> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var rejected = new List<RejectedWrite>();
        var i = 0;
        while (i < writes.Count)
        {
            var collection = InsertCollection(writes[i]);
            if (collection is not null)
            {
                // Consecutive inserts into one collection go as one multi-document request.
                var group = new List<StoreWrite>();
                while (i < writes.Count && InsertCollection(writes[i]) == collection)
                {
                    group.Add(writes[i++]);
                }
                await InsertGroupAsync(collection, group, rejected, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var write = writes[i++];
            var (aql, bind) = write switch
            {
                StartRun r => (AqlQueries.StartRun, new JsonObject { ["key"] = r.Run.ExecutionId, ["doc"] = ArangoDocuments.FromRun(r.Run) }),
                ReportProgress p => (AqlQueries.UpdateProgress, new JsonObject
                {
                    ["key"] = p.ExecutionId, ["placeholder"] = Placeholder(p.ExecutionId, p.Progress.Time), ["progress"] = ArangoDocuments.FromProgress(p.Progress),
                }),
                RecordFinalResponse f => (AqlQueries.UpdateFinalResponse, new JsonObject
                {
                    ["key"] = f.ExecutionId, ["placeholder"] = Placeholder(f.ExecutionId, DateTimeOffset.UtcNow),
                    ["response"] = ArangoDocuments.SafeKeys(ArangoDocuments.ParseJson(f.ResponseJson, wrapNonObject: false)),
                }),
                EndRun e => (AqlQueries.EndRun, new JsonObject
                {
                    ["key"] = e.End.ExecutionId, ["placeholder"] = Placeholder(e.End.ExecutionId, e.End.EndTime.AddMilliseconds(-e.End.DurationMs)),
                    ["patch"] = ArangoDocuments.FromRunEnd(e.End),
                }),
                _ => throw new NotSupportedException($"Unknown write {write.GetType().Name}."),
            };
            if (string.IsNullOrEmpty(bind["key"]?.GetValue<string>()))
            {
                rejected.Add(new RejectedWrite(write, "execution_id is empty"));
                continue;
            }
            try
            {
                await _client.QueryAllAsync(aql, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ArangoException ex) when (ex.Kind is ArangoErrorKind.Validation || ex.ErrorNum is 1221 or 1210)
            {
                rejected.Add(new RejectedWrite(write, $"errorNum {ex.ErrorNum}: {ex.ServerMessage}"));
            }
        }
        return rejected.Count == 0 ? WriteOutcome.Success : new WriteOutcome(rejected);
    });

    private static string? InsertCollection(StoreWrite write) => write switch
    {
        AppendEvent => ArangoSchema.Events,
        AddLearning => ArangoSchema.Learnings,
        AddRelation => ArangoSchema.Relations,
        _ => null,
    };

    /// <summary>
    /// The run document a progress/end/response write creates when the run's start has not arrived yet (replays
    /// can reorder); the start fills it in later. Script and start time come from the execution id when it has the usual form.
    /// </summary>
    private static JsonObject Placeholder(string executionId, DateTimeOffset fallbackStart)
    {
        var (script, start) = Sqlite.SqliteWriteCommands.ParseExecutionId(executionId);
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
        // An empty id would make the server invent a key and break idempotency: refuse it here.
        var valid = new List<StoreWrite>(group.Count);
        foreach (var w in group)
        {
            var (idName, id) = w switch
            {
                AppendEvent e => ("event_id", e.Event.EventId),
                AddLearning l => ("learning_id", l.Learning.LearningId),
                AddRelation r => ("relation_id", r.Relation.RelationId),
                _ => ("id", "?"),
            };
            if (string.IsNullOrWhiteSpace(id))
            {
                rejected.Add(new RejectedWrite(w, $"{idName} is empty; every record needs a stable id (EventIds.New())."));
            }
            else
            {
                valid.Add(w);
            }
        }
        group = valid;
        var docs = group.Select(w => w switch
        {
            AppendEvent e => ArangoDocuments.FromEvent(e.Event, _sequence.Next()),
            AddLearning l => ArangoDocuments.FromLearning(l.Learning),
            AddRelation r => ArangoDocuments.FromRelation(r.Relation),
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
            if (r.ErrorNum is 1004 or 1200 or 1429 or 1491)
            {
                // Write concern not met / write-write conflict / cluster busy: the whole batch is retried later;
                // items already stored are ignored by overwriteMode=ignore then.
                throw new ArangoException(ArangoErrorKind.Unavailable, 503, r.ErrorNum, r.ErrorMessage ?? "",
                    $"ArangoDB could not store an item now (errorNum {r.ErrorNum}: {r.ErrorMessage}); the batch will be retried.");
            }
            rejected.Add(new RejectedWrite(group[k], $"errorNum {r.ErrorNum}: {r.ErrorMessage}"));
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query.Text))
        {
            throw new ArgumentException("Search text is empty. Give one or more words to look for.", nameof(query));
        }
        if (query.Limit is < 1 or > 1000)
        {
            throw new ArgumentException($"Limit {query.Limit} is out of range; use 1 to 1000.", nameof(query));
        }
        if (query.Offset < 0)
        {
            throw new ArgumentException($"Offset {query.Offset} cannot be negative.", nameof(query));
        }
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
            var (rows, _) = await _client.QueryAllAsync(AqlQueries.SearchEvents, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(r => new SearchHit(ArangoDocuments.ToEvent(r.GetProperty("doc")), r.GetProperty("score").GetDouble()))];
        });
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StreamedEvent> StreamEventsAsync(EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var bind = new JsonObject
        {
            ["level"] = filter.Level is null ? null : LogLevels.Normalize(filter.Level),
            ["script"] = filter.ScriptName,
            ["execution"] = filter.ExecutionId,
            ["category"] = filter.Category,
            ["since"] = TimeOrNull(filter.Since),
            ["until"] = TimeOrNull(filter.Until),
            ["after"] = filter.AfterPosition,
            ["limit"] = filter.Limit ?? MaxStreamLimit,
        };
        var aql = AqlQueries.StreamEvents;
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            bind["text"] = filter.Text;
            aql = AqlQueries.StreamEventsMatching;
        }
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
    public Task<ScriptRun?> GetRunAsync(string executionId, CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var doc = await _client.GetDocumentAsync(ArangoSchema.Runs, executionId, cancellationToken).ConfigureAwait(false);
        return doc is { } d ? WithLiveness(ArangoDocuments.ToRun(d)) : null;
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => Guard<IReadOnlyList<ScriptRun>>(async () =>
    {
        // Abandoned runs are stored as running; ask for running ones and sort them out by liveness.
        var stored = query.Status is RunStatus.Abandoned or RunStatus.Running ? "running" : query.Status?.ToName();
        var bind = new JsonObject
        {
            ["script"] = query.ScriptName,
            ["status"] = stored,
            ["since"] = TimeOrNull(query.Since),
            ["offset"] = Math.Max(0, query.Offset),
            ["limit"] = Math.Max(1, query.Limit),
        };
        var (rows, _) = await _client.QueryAllAsync(AqlQueries.ListRuns, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
        var runs = rows.Select(r => WithLiveness(ArangoDocuments.ToRun(r)));
        if (query.Status is RunStatus.Abandoned or RunStatus.Running)
        {
            runs = runs.Where(r => r.Status == query.Status);
        }
        return [.. runs];
    });

    /// <inheritdoc/>
    public Task<LatestResponse?> GetLatestResponseAsync(string? scriptName, string? executionId = null, CancellationToken cancellationToken = default) => Guard(async () =>
    {
        ScriptRun? run;
        if (executionId is not null)
        {
            var doc = await _client.GetDocumentAsync(ArangoSchema.Runs, executionId, cancellationToken).ConfigureAwait(false);
            run = doc is { } d ? WithLiveness(ArangoDocuments.ToRun(d)) : null;
        }
        else
        {
            var (rows, _) = await _client.QueryAllAsync(AqlQueries.LatestResponse, new JsonObject { ["script"] = scriptName }, cancellationToken: cancellationToken).ConfigureAwait(false);
            run = rows.Count == 0 ? null : ArangoDocuments.ToRun(rows[0]);
        }
        return run?.FinalResponseJson is null
            ? null
            : new LatestResponse(run.ExecutionId, run.ScriptName, run.Mode, run.Status, run.EndTime ?? run.StartTime, run.FinalResponseJson);
    });

    /// <inheritdoc/>
    public Task<ExecutionSummary?> GetExecutionSummaryAsync(string executionId, CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var doc = await _client.GetDocumentAsync(ArangoSchema.Runs, executionId, cancellationToken).ConfigureAwait(false);
        if (doc is not { } d)
        {
            return null;
        }
        var run = WithLiveness(ArangoDocuments.ToRun(d));
        var (rows, _) = await _client.QueryAllAsync(AqlQueries.ExecutionSummary, new JsonObject { ["execution"] = executionId }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var s = rows[0];
        var counts = s.GetProperty("counts").EnumerateArray().ToDictionary(c => c.GetProperty("level").GetString()!, c => c.GetProperty("n").GetInt64());
        var span = s.GetProperty("span");
        return (ExecutionSummary?)new ExecutionSummary
        {
            Run = run,
            CountsByLevel = counts,
            EventCount = counts.Values.Sum(),
            Errors = [.. s.GetProperty("errors").EnumerateArray().Select(ArangoDocuments.ToEvent)],
            Learnings = [.. s.GetProperty("learnings").EnumerateArray().Select(ArangoDocuments.ToLearning)],
            Progress = [.. s.GetProperty("progress").EnumerateArray().Select(ProgressOf)],
            FinalResponseJson = run.FinalResponseJson,
            FirstEvent = ArangoDocuments.Str(span, "first") is { } f ? ArangoDocuments.ParseTime(f) : null,
            LastEvent = ArangoDocuments.Str(span, "last") is { } l ? ArangoDocuments.ParseTime(l) : null,
        };
    });

    /// <summary>A PROGRESS event as a progress report: stage and percent from its payload or extra, else its message.</summary>
    private static RunProgress ProgressOf(JsonElement e)
    {
        var ev = ArangoDocuments.ToEvent(e);
        foreach (var name in new[] { "payload", "extra" })
        {
            if (e.TryGetProperty(name, out var o) && o.ValueKind == JsonValueKind.Object)
            {
                var stage = ArangoDocuments.Str(o, "stage") ?? ArangoDocuments.Str(o, "Stage");
                var percent = ArangoDocuments.Dbl(o, "percent") ?? ArangoDocuments.Dbl(o, "Percent");
                if (stage is not null || percent is not null)
                {
                    return new RunProgress(stage ?? ev.Message, percent ?? 0, ev.Timestamp, ev.ExtraJson);
                }
            }
        }
        return new RunProgress(ev.Message, 0, ev.Timestamp, ev.ExtraJson);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ErrorWithContext>> GetErrorsAsync(string executionId, ContextWindow window, CancellationToken cancellationToken = default) => Guard<IReadOnlyList<ErrorWithContext>>(async () =>
    {
        var bind = new JsonObject
        {
            ["execution"] = executionId,
            ["seconds"] = window.Time is { } t ? t.TotalSeconds : null,
            // A time window still needs a LIMIT; 10 000 events each side is far more than anyone reads.
            ["n"] = window.Events ?? 10_000,
        };
        var (rows, _) = await _client.QueryAllAsync(AqlQueries.ErrorsWithContext, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new ErrorWithContext(
            ArangoDocuments.ToEvent(r.GetProperty("error")),
            [.. r.GetProperty("before").EnumerateArray().Select(ArangoDocuments.ToEvent)],
            [.. r.GetProperty("after").EnumerateArray().Select(ArangoDocuments.ToEvent)]))];
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<AgentLearning>> GetLearningsAsync(LearningQuery query, CancellationToken cancellationToken = default) => Guard<IReadOnlyList<AgentLearning>>(async () =>
    {
        var bind = new JsonObject
        {
            ["execution"] = query.ExecutionId,
            ["script"] = query.ScriptName,
            ["function"] = query.FunctionName,
            ["minConfidence"] = query.MinConfidence,
            ["since"] = TimeOrNull(query.Since),
            ["limit"] = Math.Max(1, query.Limit),
        };
        var aql = AqlQueries.Learnings;
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            bind["text"] = query.Text;
            aql = AqlQueries.LearningsMatching;
        }
        var (rows, _) = await _client.QueryAllAsync(aql, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ArangoDocuments.ToLearning)];
    });

    /// <inheritdoc/>
    public Task<PruneResult> PruneAsync(PruneRequest request, CancellationToken cancellationToken = default)
    {
        if (request.OlderThan is null && request.Category is null && request.ExecutionIds is null)
        {
            throw new ArgumentException("Prune needs at least one criterion: an age (--older-than 30d), a category or execution ids.", nameof(request));
        }
        return Guard(async () =>
        {
            var cutoff = request.OlderThan is { } age ? JsonValue.Create(ArangoDocuments.Time(DateTimeOffset.UtcNow - age)) : null;
            JsonNode? Ids() => request.ExecutionIds is null ? null : new JsonArray([.. request.ExecutionIds.Select(x => (JsonNode?)JsonValue.Create(x))]);
            var (keys, _) = await _client.QueryAllAsync(AqlQueries.PruneRunKeys, new JsonObject
            {
                ["pruneRuns"] = request.Category is null,
                ["cutoff"] = cutoff?.DeepClone(),
                ["ids"] = Ids(),
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
            JsonArray RunKeys() => new([.. keys.Select(k => (JsonNode?)JsonValue.Create(k.GetString()))]);
            JsonObject EventBind() => new() { ["cutoff"] = cutoff?.DeepClone(), ["category"] = request.Category, ["ids"] = Ids() };
            JsonObject RelationBind()
            {
                var b = EventBind();
                b["runKeys"] = RunKeys();
                return b;
            }

            if (request.DryRun)
            {
                var relations = await CountAsync(AqlQueries.PruneRelationsCount, RelationBind(), cancellationToken).ConfigureAwait(false);
                var events = await CountAsync(AqlQueries.PruneEventsCount, EventBind(), cancellationToken).ConfigureAwait(false);
                var learnings = await CountAsync(AqlQueries.PruneLearningsCount, new JsonObject { ["runKeys"] = RunKeys() }, cancellationToken).ConfigureAwait(false);
                return new PruneResult(events, keys.Count, learnings, relations, DryRun: true);
            }
            // Relations first, while the documents at their ends still exist to be matched.
            var r = await WritesAsync(AqlQueries.PruneRelationsRemove, RelationBind(), cancellationToken).ConfigureAwait(false);
            var ev = await WritesAsync(AqlQueries.PruneEventsRemove, EventBind(), cancellationToken).ConfigureAwait(false);
            var l = await WritesAsync(AqlQueries.PruneLearningsRemove, new JsonObject { ["runKeys"] = RunKeys() }, cancellationToken).ConfigureAwait(false);
            var runs = await WritesAsync(AqlQueries.PruneRunsRemove, new JsonObject { ["runKeys"] = RunKeys() }, cancellationToken).ConfigureAwait(false);
            return new PruneResult(ev, runs, l, r, DryRun: false);
        });
    }

    private async Task<long> CountAsync(string aql, JsonObject bind, CancellationToken cancellationToken)
    {
        var (rows, _) = await _client.QueryAllAsync(aql, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? 0 : rows[0].GetInt64();
    }

    private async Task<long> WritesAsync(string aql, JsonObject bind, CancellationToken cancellationToken)
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
    public Task<ExecutionGraph?> GetExecutionGraphAsync(string executionId, CancellationToken cancellationToken = default) => Guard(async () =>
    {
        var runDoc = await _client.GetDocumentAsync(ArangoSchema.Runs, executionId, cancellationToken).ConfigureAwait(false);
        if (runDoc is not { } rd)
        {
            return null;
        }
        var run = ArangoDocuments.ToRun(rd);
        var (rows, _) = await _client.QueryAllAsync(AqlQueries.ExecutionGraph, new JsonObject { ["execution"] = executionId, ["maxEvents"] = 10_000 }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var g = rows[0];
        var nodes = new List<GraphNode>();
        var edges = new List<GraphEdge>();
        var runHandle = $"{ArangoSchema.Runs}/{executionId}";
        nodes.Add(new GraphNode(runHandle, "run", $"{run.ScriptName} ({run.Mode})", null, run.StartTime));
        var events = g.GetProperty("events").EnumerateArray().Select(ArangoDocuments.ToEvent).ToList();
        foreach (var e in events)
        {
            nodes.Add(new GraphNode($"{ArangoSchema.Events}/{e.EventId}", "event", e.Message, e.Level, e.Timestamp));
        }
        foreach (var l in g.GetProperty("learnings").EnumerateArray().Select(ArangoDocuments.ToLearning))
        {
            nodes.Add(new GraphNode($"{ArangoSchema.Learnings}/{l.LearningId}", "learning", l.Learning, null, l.Timestamp));
        }
        foreach (var other in g.GetProperty("others").EnumerateArray())
        {
            var id = other.GetProperty("id").GetString()!;
            var doc = other.GetProperty("doc");
            var label = ArangoDocuments.Str(doc, "message") ?? ArangoDocuments.Str(doc, "learning") ?? ArangoDocuments.Str(doc, "script_name") ?? id;
            var time = ArangoDocuments.Str(doc, "timestamp") ?? ArangoDocuments.Str(doc, "start_time");
            nodes.Add(new GraphNode(id, ArangoDocuments.KindOf(id), label, ArangoDocuments.Str(doc, "level"), time is null ? null : ArangoDocuments.ParseTime(time)));
        }
        // Derived edges: consecutive events FOLLOWED_BY; an error FIXED_BY the next event saying it was fixed.
        for (var k = 1; k < events.Count; k++)
        {
            edges.Add(new GraphEdge($"{ArangoSchema.Events}/{events[k - 1].EventId}", $"{ArangoSchema.Events}/{events[k].EventId}", RelationTypes.FollowedBy, null, null, Stored: false));
        }
        for (var k = 0; k < events.Count; k++)
        {
            if (LogLevels.Rank(events[k].Level) < LogLevels.Rank(LogLevels.Error))
            {
                continue;
            }
            var fix = events.Skip(k + 1).FirstOrDefault(x => x.Message.Contains("fixed", StringComparison.OrdinalIgnoreCase));
            if (fix is not null)
            {
                edges.Add(new GraphEdge($"{ArangoSchema.Events}/{events[k].EventId}", $"{ArangoSchema.Events}/{fix.EventId}", RelationTypes.FixedBy, null, null, Stored: false));
            }
        }
        foreach (var rel in g.GetProperty("stored").EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).Select(ArangoDocuments.ToRelation))
        {
            edges.Add(new GraphEdge(rel.From, rel.To, rel.Type, rel.Rationale, rel.Confidence, Stored: true));
        }
        return (ExecutionGraph?)new ExecutionGraph(executionId, nodes, edges);
    });

    /// <inheritdoc/>
    public Task<PerformanceReport> GetPerformanceAsync(string? scriptName, int days, CancellationToken cancellationToken = default)
    {
        if (days < 1)
        {
            throw new ArgumentException($"Days must be at least 1 (got {days}).", nameof(days));
        }
        return Guard(async () =>
        {
            var since = DateTimeOffset.UtcNow.Date.AddDays(-(days - 1));
            var bind = new JsonObject { ["since"] = ArangoDocuments.Time(new DateTimeOffset(since, TimeSpan.Zero)), ["script"] = scriptName };
            var (rows, _) = await _client.QueryAllAsync(AqlQueries.PerformanceByScript, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
            var scripts = new List<ScriptPerformance>();
            foreach (var r in rows)
            {
                var running = r.GetProperty("running").EnumerateArray().ToList();
                var dead = running.Count(x => RunLiveness.IsAbandoned(ArangoDocuments.Dbl(x, "pid") is { } p ? (int)p : 0, ArangoDocuments.Str(x, "host"),
                    ArangoDocuments.Str(x, "start_time") is { } st ? ArangoDocuments.ParseTime(st) : DateTimeOffset.MinValue));
                var runs = r.GetProperty("runs").GetInt32();
                var ok = r.GetProperty("success").GetInt32();
                var failed = r.GetProperty("failed").GetInt32();
                var cancelled = r.GetProperty("cancelled").GetInt32();
                var abandoned = r.GetProperty("abandoned").GetInt32() + dead;
                var ended = ok + failed + cancelled + abandoned;
                scripts.Add(new ScriptPerformance(
                    r.GetProperty("script").GetString() ?? "", runs, ok, failed, cancelled, abandoned,
                    ended == 0 ? 0 : (double)ok / ended,
                    ArangoDocuments.Dbl(r, "p50"), ArangoDocuments.Dbl(r, "p90"), ArangoDocuments.Dbl(r, "p99"), ArangoDocuments.Dbl(r, "max")));
            }
            var (trendRows, _) = await _client.QueryAllAsync(AqlQueries.PerformanceTrend, bind.DeepClone().AsObject(), cancellationToken: cancellationToken).ConfigureAwait(false);
            var t = trendRows[0];
            var errors = t.GetProperty("errors").EnumerateArray().ToDictionary(x => x.GetProperty("day").GetString()!, x => x.GetProperty("n").GetInt64());
            var byDay = t.GetProperty("runs").EnumerateArray().ToDictionary(x => x.GetProperty("day").GetString()!, x => (Runs: x.GetProperty("runs").GetInt32(), Failed: x.GetProperty("failed").GetInt32()));
            var trend = new List<DailyTrend>();
            for (var d = DateOnly.FromDateTime(since); d <= DateOnly.FromDateTime(DateTime.UtcNow); d = d.AddDays(1))
            {
                var key = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                var (n, f) = byDay.TryGetValue(key, out var v) ? v : (0, 0);
                trend.Add(new DailyTrend(d, n, f, errors.TryGetValue(key, out var e) ? e : 0));
            }
            return new PerformanceReport { ScriptName = scriptName, Days = days, Scripts = scripts, Trend = trend };
        });
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Read-only mode parses the query first (<c>POST /_api/query</c>) and refuses it when the syntax tree holds
    /// an INSERT, UPDATE, REPLACE, REMOVE or UPSERT node — the server's own parser decides, not a text match.
    /// </remarks>
    public Task<RawQueryResult> QueryAsync(string query, IReadOnlyDictionary<string, object?>? parameters = null, bool allowWrites = false, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new ArgumentException("The query is empty.", nameof(query));
        }
        return Guard(async () =>
        {
            if (!allowWrites && await _client.IsModificationQueryAsync(query, cancellationToken).ConfigureAwait(false))
            {
                throw new StoreQueryException(
                    "The AQL query modifies data (INSERT, UPDATE, REPLACE, REMOVE or UPSERT) but queries are read-only. " +
                    "Pass --write to agentlog query (allowWrites: true in code) if you mean it.");
            }
            var bind = new JsonObject();
            foreach (var (name, value) in parameters ?? new Dictionary<string, object?>())
            {
                // ArangoDB's convention: "x" binds @x, "@coll" binds the collection parameter @@coll; "@@coll" is accepted for the latter too.
                bind[name.StartsWith("@@", StringComparison.Ordinal) ? name[1..] : name] = ArangoDocuments.ToNode(value);
            }
            var (rows, last) = await _client.QueryAllAsync(query, bind, cancellationToken: cancellationToken).ConfigureAwait(false);
            var columns = new List<string>();
            var scalar = false;
            foreach (var row in rows)
            {
                if (row.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in row.EnumerateObject())
                    {
                        if (!columns.Contains(p.Name)) columns.Add(p.Name);
                    }
                }
                else
                {
                    scalar = true;
                }
            }
            if (scalar && !columns.Contains("value"))
            {
                columns.Add("value");
            }
            var table = rows.Select(row => (IReadOnlyList<object?>)columns.Select(c =>
                row.ValueKind == JsonValueKind.Object
                    ? (row.TryGetProperty(c, out var v) ? Scalar(v) : null)
                    : (c == "value" ? Scalar(row) : null)).ToList()).ToList();
            return new RawQueryResult(columns, table, allowWrites ? (int)last.WritesExecuted : null);
        });
    }

    private static object? Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.TryGetInt64(out var l) ? l : v.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => v.GetRawText(),
    };

    private static JsonNode? TimeOrNull(DateTimeOffset? t) => t is { } v ? JsonValue.Create(ArangoDocuments.Time(v)) : null;

    /// <summary>A run left <c>running</c> by a process that no longer exists on this host is reported abandoned.</summary>
    private static ScriptRun WithLiveness(ScriptRun run) => RunLiveness.Resolve(run);

    private async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (ArangoException ex)
        {
            throw Translate(ex);
        }
    }

    /// <summary>Maps client failures to the store's exceptions; the message names URL and user, never the password.</summary>
    private Exception Translate(ArangoException ex)
    {
        if (ex.IsTransient || ex.Kind == ArangoErrorKind.Unauthorized)
        {
            var hint = ex.Kind == ArangoErrorKind.Unauthorized
                ? "Check ARANGO_USERNAME / ARANGO_PASSWORD (the password is not shown)."
                : "Start the server with `docker compose up -d` in the AgentScript folder (or point ARANGO_URL at a running server); logged events are buffered meanwhile.";
            return new StoreUnavailableException(
                $"ArangoDB store {ArangoClient.SafeUrl(_options.Url)} (user {_options.Username}, database {_options.Database}) is not available: {ex.Message} {hint}", ex);
        }
        if (ex.ErrorNum is 1228 || (ex.ErrorNum == 1203 && ex.ServerMessage.Contains(ArangoSchema.Events, StringComparison.Ordinal)))
        {
            return new StoreQueryException($"{ex.Message} The store in {Location} is not initialised: run `agentlog init`.", ex);
        }
        return new StoreQueryException(ex.Message, ex);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
