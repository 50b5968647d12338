using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentScript.Benchmarks.Corpus;
using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Search;

/// <summary>
/// What the search section needs to know about a built corpus store besides the store itself; saved next to a cached
/// store so a later run can skip the (minutes-long) build.
/// </summary>
public sealed class CorpusInfo
{
    public long Written { get; set; }
    public int Runs { get; set; }
    public int Scripts { get; set; }
    public int Templates { get; set; }
    public double WriteSeconds { get; set; }
    public double GenerateSeconds { get; set; }
    public long StoreBytes { get; set; }
    public string LargeRun { get; set; } = "";
    public string ErrorsRun { get; set; } = "";
    public int ErrorsRunEvents { get; set; }
    public string TopScript { get; set; } = "";
    public int TopScriptRuns { get; set; }
    public DateTimeOffset BuiltAt { get; set; }
    public long Documents { get; set; }
    public Dictionary<string, int> DocumentFrequency { get; set; } = [];
    public List<string[]> Sample { get; set; } = [];
}

/// <summary>
/// Keeps the 1M-event corpus store under <c>artifacts/search-corpus/</c> between runs, keyed by the generator seed, the
/// corpus size and the store's schema (version and a hash of its create script): a schema change — say an index added
/// on a merge — builds a fresh corpus rather than timing an old file. Set <c>AGENTSCRIPT_BENCH_NO_CACHE=1</c> to always
/// build (into a temp folder that is deleted afterwards).
/// </summary>
public static class CorpusCache
{
    public static bool Enabled => Environment.GetEnvironmentVariable("AGENTSCRIPT_BENCH_NO_CACHE") is not ("1" or "true");

    /// <summary>The folder for a corpus of this size under the current schema.</summary>
    public static string FolderFor(int total, int largeRun)
    {
#if HAS_SQLITE_STORE
        var schema = AgentScript.Storage.Sqlite.SqliteSchema.Version + "\n" + AgentScript.Storage.Sqlite.SqliteSchema.CreateScript;
#else
        var schema = "none";
#endif
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schema)))[..12];
        return Path.Combine(RepoPaths.Root, "artifacts", "search-corpus", $"seed{CorpusGenerator.DefaultSeed}-n{total}-large{largeRun}-schema{hash}");
    }

    public static string DbPath(string folder) => Path.Combine(folder, "agentlog.db");

    private static string InfoPath(string folder) => Path.Combine(folder, "corpus.json");

    /// <summary>The saved info when <paramref name="folder"/> holds a complete corpus (the info is written last).</summary>
    public static CorpusInfo? TryLoad(string folder)
    {
        if (!File.Exists(InfoPath(folder)) || !File.Exists(DbPath(folder)))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<CorpusInfo>(File.ReadAllText(InfoPath(folder)));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Save(string folder, CorpusInfo info) =>
        File.WriteAllText(InfoPath(folder), JsonSerializer.Serialize(info));
}
