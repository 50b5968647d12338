using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

/// <summary>
/// Keeps the best hits of a search over one or more candidate passes: each pass runs the same ranked statement with
/// another match expression (newest first) and offers its rows; a row found by two passes is ranked once. FTS5's rank
/// is bm25 negated, lower is better; ties go to the older event.
/// </summary>
internal sealed class SqliteSearchRanking
{
    private readonly int _page;
    private readonly PriorityQueue<long, (double Rank, long Id)> _best;
    private readonly HashSet<long> _seen = [];

    public SqliteSearchRanking(int page)
    {
        _page = page;
        _best = new PriorityQueue<long, (double Rank, long Id)>(page + 1, WorstFirst.Instance);
    }

    /// <summary>Distinct matches ranked so far.</summary>
    public long Ranked => _seen.Count;

    /// <summary>
    /// Runs <paramref name="command"/> (parameter <c>$match</c> set to <paramref name="match"/>), reading at most
    /// <paramref name="budget"/> rows (null: all). Says how many rows it read, whether it read every row, and the
    /// smallest (oldest) rowid read.
    /// </summary>
    public (long Read, bool Complete, long OldestId) Pass(SqliteCommand command, string match, long? budget)
    {
        command.Parameters["$match"].Value = match;
        long read = 0, oldest = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (budget is { } b && read >= b)
            {
                return (read, false, oldest); // a further match exists that was not ranked
            }
            var id = reader.GetInt64(0);
            read++;
            oldest = id;
            if (_seen.Add(id))
            {
                Offer(id, reader.GetDouble(1));
            }
        }
        return (read, true, oldest);
    }

    private void Offer(long id, double rank)
    {
        if (_best.Count < _page)
        {
            _best.Enqueue(id, (rank, id));
        }
        else if (_best.TryPeek(out _, out var worst) && WorstFirst.Instance.Compare((rank, id), worst) > 0)
        {
            _best.DequeueEnqueue(id, (rank, id));
        }
    }

    /// <summary>The kept (id, rank) pairs, best first. Empties the ranking.</summary>
    public List<(long Id, double Rank)> TakeBestFirst()
    {
        var ordered = new List<(long Id, double Rank)>(_best.Count);
        while (_best.TryDequeue(out var id, out var key))
        {
            ordered.Add((id, key.Rank));
        }
        ordered.Reverse(); // the heap yields worst first
        return ordered;
    }

    /// <summary>Orders (rank, id) so that the worse hit comes first: higher rank, then newer (larger) id.</summary>
    private sealed class WorstFirst : IComparer<(double Rank, long Id)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((double Rank, long Id) x, (double Rank, long Id) y)
        {
            var c = y.Rank.CompareTo(x.Rank);
            return c != 0 ? c : y.Id.CompareTo(x.Id);
        }
    }
}
