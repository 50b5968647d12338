using System.Collections;

namespace AgentScript.Queries;

/// <summary>
/// The hits of a search together with how much of the store was ranked. A store may rank only the newest matches
/// (see <see cref="SearchQuery.Exhaustive"/>); it then says so here, so a caller can tell "best of the recent
/// matches" from "best of all matches". Returned by <c>SearchAsync</c> as an <see cref="IReadOnlyList{T}"/>; cast
/// to read the coverage.
/// </summary>
public sealed class SearchResults : IReadOnlyList<SearchHit>
{
    private readonly IReadOnlyList<SearchHit> _hits;

    /// <summary>Creates the results.</summary>
    /// <param name="hits">The hits, best first.</param>
    /// <param name="exhaustive">Every matching event that passes the filters was ranked.</param>
    /// <param name="matchesRanked">Matching events that were ranked (after the filters).</param>
    /// <param name="searchedSince">When not exhaustive: the time of the oldest event of the searched window.</param>
    public SearchResults(IReadOnlyList<SearchHit> hits, bool exhaustive, long matchesRanked, DateTimeOffset? searchedSince)
    {
        ArgumentNullException.ThrowIfNull(hits);
        _hits = hits;
        Exhaustive = exhaustive;
        MatchesRanked = matchesRanked;
        SearchedSince = exhaustive ? null : searchedSince;
    }

    /// <summary>
    /// True when every matching event that passes the filters was ranked, so the hits are the best of all matches.
    /// False when only the newest matches were ranked (older, possibly better matches exist before
    /// <see cref="SearchedSince"/>).
    /// </summary>
    public bool Exhaustive { get; }

    /// <summary>How many matching events (after the filters) were ranked to choose the hits.</summary>
    public long MatchesRanked { get; }

    /// <summary>When not <see cref="Exhaustive"/>: the time of the oldest event in the ranked window; null otherwise.</summary>
    public DateTimeOffset? SearchedSince { get; }

    /// <inheritdoc/>
    public SearchHit this[int index] => _hits[index];

    /// <inheritdoc/>
    public int Count => _hits.Count;

    /// <inheritdoc/>
    public IEnumerator<SearchHit> GetEnumerator() => _hits.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
