// Job: check query arguments once, so both stores refuse the same bad arguments with the same message.
using AgentScript.Queries;

namespace AgentScript.Storage.Rules;

/// <summary>
/// Argument checks shared by the stores. A bad argument is the caller's mistake: both stores throw
/// <see cref="ArgumentException"/> before any I/O (neither clamps nor guesses).
/// </summary>
internal static class QueryArguments
{
    /// <summary>Largest search page.</summary>
    public const int MaxSearchLimit = 1000;

    /// <summary>Search: text present, limit 1 to 1000, offset not negative.</summary>
    public static void Search(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrWhiteSpace(query.Text))
        {
            throw new ArgumentException("The search text is empty. Give one or more words to search for.", nameof(query));
        }
        if (query.Limit is < 1 or > MaxSearchLimit)
        {
            throw new ArgumentException($"The search limit {query.Limit} is out of range. Use 1 to {MaxSearchLimit}.", nameof(query));
        }
        if (query.Offset < 0)
        {
            throw new ArgumentException($"The search offset {query.Offset} is negative.", nameof(query));
        }
    }

    /// <summary>Run listing: limit at least 1, offset not negative.</summary>
    public static void Runs(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit < 1 || query.Offset < 0)
        {
            throw new ArgumentException($"Bad paging (limit {query.Limit}, offset {query.Offset}): the limit must be at least 1 and the offset not negative.", nameof(query));
        }
    }

    /// <summary>Learnings: limit at least 1.</summary>
    public static void Learnings(LearningQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit < 1)
        {
            throw new ArgumentException($"The limit {query.Limit} must be at least 1.", nameof(query));
        }
    }

    /// <summary>Event stream: a filter is given; a limit of 0 or less streams nothing (not an error: "no more than 0").</summary>
    /// <returns>False when nothing is to be streamed.</returns>
    public static bool Stream(EventFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter.Limit is not <= 0;
    }

    /// <summary>Prune: at least one criterion, no negative age.</summary>
    public static void Prune(PruneRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.OlderThan is null && request.Category is null && request.ExecutionIds is not { Count: > 0 })
        {
            throw new ArgumentException("Prune needs at least one criterion: an age (older than), a category or execution ids.", nameof(request));
        }
        if (request.OlderThan is { } age && age < TimeSpan.Zero)
        {
            throw new ArgumentException("The prune age cannot be negative.", nameof(request));
        }
    }

    /// <summary>An execution id argument is present.</summary>
    public static void ExecutionId(string executionId) => ArgumentException.ThrowIfNullOrEmpty(executionId);

    /// <summary>Latest response: a script name or an execution id.</summary>
    public static void Latest(string? scriptName, string? executionId)
    {
        if (scriptName is null && executionId is null)
        {
            throw new ArgumentException("Give a script name or an execution id to find a final response.", nameof(scriptName));
        }
    }

    /// <summary>Performance: at least one day.</summary>
    public static void Days(int days)
    {
        if (days < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, "The number of days must be at least 1.");
        }
    }

    /// <summary>
    /// Native query: not empty. An empty query is reported like any query the store refuses (<see cref="StoreQueryException"/>,
    /// which the CLI shows as a query error), with an example in the store's own language.
    /// </summary>
    public static StoreQueryException? NativeQuery(string query, string example) =>
        string.IsNullOrWhiteSpace(query) ? new StoreQueryException($"The query is empty. Give {example}") : null;
}
