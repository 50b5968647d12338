// Job: the AQL texts of a prune (runs, events, learnings and the relations of what goes), as constants of the one
// AqlQueries catalogue.
namespace AgentScript.Storage.Arango;

internal static partial class AqlQueries
{
    /// <summary>Keys of the runs a prune selects (none when it is limited to a category of events), a batch at a time.</summary>
    public const string PruneRunKeys = """
        FOR r IN script_runs
          FILTER @pruneRuns
            AND (@cutoff == null OR r.start_time < @cutoff)
            AND (@ids == null OR r._key IN @ids)
          LIMIT @batch
          RETURN r._key
        """;

    /// <summary>Counts the runs a prune selects.</summary>
    public const string PruneRunsCount = """
        FOR r IN script_runs
          FILTER @pruneRuns
            AND (@cutoff == null OR r.start_time < @cutoff)
            AND (@ids == null OR r._key IN @ids)
          COLLECT WITH COUNT INTO n
          RETURN n
        """;

    private const string EventPredicate = """
        (@cutoff == null OR e.timestamp < @cutoff)
            AND (@category == null OR e.log_category == @category)
            AND (@ids == null OR e.execution_id IN @ids)
        """;

    /// <summary>Counts the events a prune selects (served by the timestamp, category or execution indexes).</summary>
    public const string PruneEventsCount = "FOR e IN log_events\n  FILTER " + EventPredicate + "\n  COLLECT WITH COUNT INTO n\n  RETURN n";

    /// <summary>The ids of the next batch of events a prune selects.</summary>
    public const string PruneEventIds = "FOR e IN log_events\n  FILTER " + EventPredicate + "\n  LIMIT @batch\n  RETURN e._id";

    /// <summary>The ids of the next batch of learnings of pruned runs.</summary>
    public const string PruneLearningIds = """
        FOR l IN agent_learnings
          FILTER l.execution_id IN @runKeys
          LIMIT @batch
          RETURN l._id
        """;

    /// <summary>Counts the learnings of the runs a prune selects (none unless learnings are pruned too).</summary>
    public const string PruneLearningsCount = """
        FOR r IN script_runs
          FILTER @pruneRuns AND @pruneLearnings
            AND (@cutoff == null OR r.start_time < @cutoff)
            AND (@ids == null OR r._key IN @ids)
          FOR l IN agent_learnings
            FILTER l.execution_id == r._key
            COLLECT WITH COUNT INTO n
            RETURN n
        """;

    /// <summary>Removes the relations with an end in <c>@handles</c> (the edge index answers both lookups).</summary>
    public const string RemoveRelationsOf = """
        FOR r IN UNION_DISTINCT(
            (FOR x IN log_relations FILTER x._from IN @handles RETURN x._key),
            (FOR x IN log_relations FILTER x._to IN @handles RETURN x._key))
          REMOVE r IN log_relations OPTIONS { ignoreErrors: true }
        """;

    /// <summary>Removes events by id (one batch).</summary>
    public const string RemoveEventsByIds = """
        FOR h IN @handles
          REMOVE PARSE_IDENTIFIER(h).key IN log_events OPTIONS { ignoreErrors: true }
        """;

    /// <summary>Removes learnings by id (one batch).</summary>
    public const string RemoveLearningsByIds = """
        FOR h IN @handles
          REMOVE PARSE_IDENTIFIER(h).key IN agent_learnings OPTIONS { ignoreErrors: true }
        """;

    /// <summary>Removes runs by id (one batch).</summary>
    public const string RemoveRunsByIds = """
        FOR h IN @handles
          REMOVE PARSE_IDENTIFIER(h).key IN script_runs OPTIONS { ignoreErrors: true }
        """;

    private const string RelationPredicate = """
        LENGTH(
            FOR h IN [r._from, r._to]
              LET parts = PARSE_IDENTIFIER(h)
              LET e = DOCUMENT(h)
              FILTER (parts.collection == "log_events" AND e != null AND (
                        (@cutoff == null OR e.timestamp < @cutoff)
                        AND (@category == null OR e.log_category == @category)
                        AND (@ids == null OR e.execution_id IN @ids)))
                  OR (parts.collection == "script_runs" AND @pruneRuns
                        AND e != null AND (@cutoff == null OR e.start_time < @cutoff) AND (@ids == null OR parts.key IN @ids))
                  OR (parts.collection == "agent_learnings" AND @pruneLearnings AND e != null
                        AND LENGTH(FOR r2 IN script_runs FILTER r2._key == e.execution_id
                             AND (@cutoff == null OR r2.start_time < @cutoff) AND (@ids == null OR r2._key IN @ids) LIMIT 1 RETURN 1) > 0)
              LIMIT 1
              RETURN 1) > 0
        """;

    /// <summary>Counts the relations with an end a prune removes (dry run; relations are few, made by agents).</summary>
    public const string PruneRelationsCount = "FOR r IN log_relations\n  FILTER " + RelationPredicate + "\n  COLLECT WITH COUNT INTO n\n  RETURN n";
}
