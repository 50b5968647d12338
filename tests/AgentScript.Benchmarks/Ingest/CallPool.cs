using System.Globalization;
using System.Text.Json;
using AgentScript.Benchmarks.Corpus;
using AgentScript.Model;
using Serilog.Events;

namespace AgentScript.Benchmarks.Ingest;

/// <summary>One Serilog call of the ingest pool.</summary>
public readonly record struct PooledCall(LogEventLevel Level, Exception? Exception, string Template, object[] Values);

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
            w.WriteLine(JsonSerializer.Serialize(new Line(e.Level, e.Template, kinds, values, e.Exception)));
        }
    }

    public static PooledCall[] Read(string path) => File.ReadLines(path).Select(l =>
    {
        var line = JsonSerializer.Deserialize<Line>(l)!;
        var values = new object[line.V.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = line.K[i] switch
            {
                "i" => int.Parse(line.V[i], CultureInfo.InvariantCulture),
                "d" => double.Parse(line.V[i], CultureInfo.InvariantCulture),
                _ => line.V[i],
            };
        }
        return new PooledCall(IngestChild.ToSerilog(line.L), line.X is null ? null : new CorpusException(line.X), line.T, values);
    }).ToArray();
}
