using System.Globalization;
using System.Text.Json;
using AgentScript.Benchmarks.Corpus;
using AgentScript.Benchmarks.Regression;
using AgentScript.Model;
using Serilog.Events;

namespace AgentScript.Benchmarks.Ingest;

/// <summary>
/// The pool of distinct realistic calls the ingest children cycle over. The parent generates it and writes it to a file,
/// so the children's peak working set holds the pool (a few MB), not the corpus generator's word and id tables.
/// </summary>
public static class CallPool
{
    public const int Size = 10_000;

    private sealed record Line(string L, string T, string[] K, string[] V, ExceptionInfo? X);

    public static void Write(string path, string executionId)
    {
        var corpus = new CorpusGenerator();
        using var w = new StreamWriter(path);
        for (var i = 0; i < Size; i++)
        {
            var e = corpus.NextEvent(executionId, "ingest_bench", DateTimeOffset.UtcNow);
            var kinds = e.Values.Select(v => v switch { int => "i", double => "d", _ => "s" }).ToArray();
            var values = e.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToArray();
            // The level as Serilog names it, so a reader needs no mapping (the regression harness reads this file too).
            w.WriteLine(JsonSerializer.Serialize(new Line(IngestChild.ToSerilog(e.Level).ToString(), e.Template, kinds, values, e.Exception)));
        }
    }

    /// <summary>The calls of a pool file (read by the regression harness's reader, which this project compiles too).</summary>
    public static PooledCall[] Read(string path) => PoolFile.Read(path);
}
