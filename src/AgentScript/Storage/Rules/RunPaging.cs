// Job: how run listings filter by status and page, the same in both stores.
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Storage.Rules;

/// <summary>
/// Running and abandoned runs are both stored as <c>running</c> (or <c>abandoned</c>) and told apart only by checking
/// the process. A listing filtered by either status therefore reads every stored candidate, checks liveness, and
/// pages afterwards — paging first would give short (or empty) pages. Other statuses page in the store.
/// </summary>
internal static class RunPaging
{
    /// <summary>True when the status filter is decided after the liveness check.</summary>
    public static bool PagesAfterLiveness(RunQuery query) => query.Status is RunStatus.Running or RunStatus.Abandoned;

    /// <summary>The stored statuses to read for <paramref name="query"/> (null = any).</summary>
    public static IReadOnlyList<string>? StoredStatuses(RunQuery query) => query.Status switch
    {
        null => null,
        RunStatus.Running or RunStatus.Abandoned => ["running", "abandoned"],
        var s => [s.Value.ToName()],
    };

    /// <summary>Liveness applied; filtered and paged when the store could not page.</summary>
    public static List<ScriptRun> Finish(RunQuery query, IEnumerable<ScriptRun> stored)
    {
        var runs = stored.Select(RunLiveness.Resolve);
        return PagesAfterLiveness(query)
            ? [.. runs.Where(r => r.Status == query.Status).Skip(query.Offset).Take(query.Limit)]
            : [.. runs];
    }
}
