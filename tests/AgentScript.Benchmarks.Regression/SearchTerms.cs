namespace AgentScript.Benchmarks.Regression;

/// <summary>Search terms from the pool: common ones from the templates' words, rare ones from values seen once.</summary>
public static class SearchTerms
{
    private const int PerBand = 20;

    public static (IReadOnlyList<string> Common, IReadOnlyList<string> Rare) From(IReadOnlyList<PooledCall> pool)
    {
        var templateWords = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var values = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var call in pool)
        {
            foreach (var word in Words(WithoutHoles(call.Template)))
            {
                templateWords[word] = templateWords.GetValueOrDefault(word) + 1;
            }
            foreach (var value in call.Values.OfType<string>())
            {
                foreach (var word in Words(value))
                {
                    values[word] = values.GetValueOrDefault(word) + 1;
                }
            }
        }
        var common = templateWords.Where(p => p.Key.Length >= 4).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(PerBand).Select(p => p.Key).ToList();
        var rare = values.Where(p => p.Value == 1 && p.Key.Length >= 6 && !templateWords.ContainsKey(p.Key))
            .OrderBy(p => p.Key, StringComparer.Ordinal).Take(PerBand).Select(p => p.Key).ToList();
        return (common, rare);
    }

    private static string WithoutHoles(string template)
    {
        var chars = template.ToCharArray();
        var inHole = false;
        for (var i = 0; i < chars.Length; i++)
        {
            inHole = chars[i] == '{' || (inHole && chars[i] != '}');
            if (inHole || chars[i] == '}')
            {
                chars[i] = ' ';
            }
        }
        return new string(chars);
    }

    private static IEnumerable<string> Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.', ',', ':', ';', '(', ')', '\'', '"', '[', ']'))
            .Where(w => w.Length > 0 && w.All(char.IsAsciiLetterOrDigit));
}
