// Job: the ArangoDB store's identity, construction and error translation; the operations are in ArangoLogStore.*.cs.
using System.Text.Json.Nodes;
using AgentScript.Configuration;

namespace AgentScript.Storage.Arango;

/// <summary>
/// The ArangoDB 3.12 store (single server or cluster). Every AQL text is in <see cref="AqlQueries"/>; user values
/// travel as bind variables only; the rules both stores share are in <c>Storage/Rules</c>. Failures to reach the
/// server and transient server errors surface as <see cref="StoreUnavailableException"/> (the sink buffers and
/// retries), rejected queries as <see cref="StoreQueryException"/>.
/// </summary>
internal sealed partial class ArangoLogStore : IAgentLogStore
{
    private readonly ArangoClient _client;
    private readonly ArangoOptions _options;
    private readonly int _retentionDays;
    private readonly TimeProvider _time;
    private readonly ArangoSequence _sequence;

    /// <summary>Opens the store described by <paramref name="options"/> (no request is sent until first use).</summary>
    /// <param name="options">Connection and cluster settings.</param>
    /// <param name="retentionDays"><c>LOG_RETENTION_DAYS</c>: the TTL of events (0 = keep for ever).</param>
    public ArangoLogStore(ArangoOptions options, int retentionDays = 30)
        : this(options, retentionDays, handler: null, retry: null)
    {
    }

    /// <summary>Opens the store; <paramref name="handler"/> replaces the network and <paramref name="time"/> the clock (tests).</summary>
    internal ArangoLogStore(ArangoOptions options, int retentionDays, HttpMessageHandler? handler, ArangoRetryPolicy? retry, TimeProvider? time = null)
    {
        _options = options;
        _retentionDays = retentionDays;
        _time = time ?? TimeProvider.System;
        _sequence = new ArangoSequence(_time);
        _client = new ArangoClient(options, handler, retry, _time);
    }

    /// <summary>The client (tests and the CLI's doctor).</summary>
    internal ArangoClient Client => _client;

    /// <summary>
    /// Makes searches wait for the view to commit pending writes (<c>waitForSync</c>). For tests only: the
    /// documentation reserves it for them, and in production it would stall every search behind the view's commit.
    /// </summary>
    internal bool WaitForViewSync { get; init; }

    /// <inheritdoc/>
    public string Kind => "arangodb";

    /// <inheritdoc/>
    public string Location => $"{ArangoClient.SafeUrl(_options.Url)} (database {_options.Database})";

    private static JsonNode? TimeOrNull(DateTimeOffset? t) => t is { } v ? JsonValue.Create(ArangoDocuments.Time(v)) : null;

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
                ? $"Check ARANGO_USERNAME / ARANGO_PASSWORD (the password is not shown) and that the user may use database {_options.Database}."
                : ex.Code is 0
                    ? "Start the server with `docker compose up -d` in the AgentScript folder (or point ARANGO_URL at a running server); logged events are buffered meanwhile."
                    : "The server reported a passing condition; logged events are buffered and written again later.";
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
