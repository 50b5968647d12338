namespace AgentScript.Benchmarks.Search;

/// <summary>
/// Document frequency of every term of the corpus (tokenised like FTS5's unicode61: runs of letters and digits, lower
/// case) and a sample of events' term sets, from which queries of 1–3 co-occurring terms are drawn per band.
/// </summary>
public sealed class TermStats
{
    private readonly Dictionary<string, int> _df = new(StringComparer.Ordinal);
    private readonly List<string[]> _sample = [];
    private readonly HashSet<string> _scratch = new(StringComparer.Ordinal);
    private long _documents;

    public TermStats()
    {
    }

    /// <summary>Restores saved statistics (see <see cref="CorpusCache"/>).</summary>
    public TermStats(long documents, Dictionary<string, int> df, List<string[]> sample)
    {
        _documents = documents;
        _df = new Dictionary<string, int>(df, StringComparer.Ordinal);
        _sample = sample;
    }

    public long Documents => _documents;
    public IReadOnlyDictionary<string, int> DocumentFrequency => _df;
    public List<string[]> Sample => _sample;
    public int DistinctTerms => _df.Count;

    public void Add(string text, bool keepSample)
    {
        _documents++;
        _scratch.Clear();
        Tokenize(text, _scratch);
        foreach (var t in _scratch)
        {
            _df[t] = _df.TryGetValue(t, out var c) ? c + 1 : 1;
        }
        if (keepSample)
        {
            _sample.Add([.. _scratch]);
        }
    }

    public int Df(string term) => _df.TryGetValue(term, out var c) ? c : 0;

    public static void Tokenize(string text, ISet<string> into)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isTok = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isTok && start < 0)
            {
                start = i;
            }
            else if (!isTok && start >= 0)
            {
                into.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
    }

    /// <summary>Number of terms whose document frequency falls in [min, max].</summary>
    public int CountInBand(long min, long max) => _df.Values.Count(v => v >= min && v <= max);

    /// <summary>
    /// <paramref name="count"/> queries of 1–3 terms in [min, max], each drawn from one sampled event so that the terms
    /// co-occur (every query has at least one hit, as a real search for something seen in a log does).
    /// </summary>
    public List<string[]> DrawQueries(Random rng, long min, long max, int count)
    {
        var queries = new List<string[]>(count);
        var attempts = 0;
        while (queries.Count < count && attempts++ < count * 2_000)
        {
            var doc = _sample[rng.Next(_sample.Count)];
            var inBand = doc.Where(t => { var df = Df(t); return df >= min && df <= max; }).ToArray();
            if (inBand.Length == 0)
            {
                continue;
            }
            var k = Math.Min(rng.Next(1, 4), inBand.Length);
            queries.Add(inBand.OrderBy(_ => rng.Next()).Take(k).ToArray());
        }
        return queries;
    }
}
