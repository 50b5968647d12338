#:package AgentScript@AGENTSCRIPT_VERSION
#:property PublishAot=false
#:property InvariantGlobalization=true
#:property TieredPGO=false
// AGENT_INSTRUCTIONS
// ==================
// MyAgentScript.cs is a single-file AgentScript (.NET 10 file-based app, no project file): two entries, every run recorded in the AgentScript store.
//
// Run it — build first, then run what was built, so stdout is only ever the final response:
//   dotnet build MyAgentScript.cs -nologo            # exit code not 0 = BUILD failed: read the compiler errors it printed
//   dotnet run MyAgentScript.cs --no-build           # the `working` entry: stable, verifies its own results, returns them
//   dotnet run MyAgentScript.cs --no-build -- debug  # the `debug` entry: try new ideas here, not in a separate file
//   dotnet run MyAgentScript.cs --no-build -- --help # the declared modes
// (Plain `dotnet run` also builds, but then compiler warnings land on stdout before the JSON, and a failed build
// exits 1 like a failed run.)
// (#:package above brings the AgentScript runtime and its generator; PublishAot=false because a script runs
// with `dotnet run` and is never published native; InvariantGlobalization and TieredPGO=false make each run start
// faster: no ICU culture data, no profiling of a short process. Set InvariantGlobalization=false if the script needs
// the user's culture.)
// The final response (the entry's return value) is printed as JSON on stdout; logs go to stderr and the store.
// Exit codes of a run: 0 success, 1 failed, 2 usage error, 130 cancelled.
//
// Look at what it did (the `agentlog` tool reads the same store):
//   agentlog runs --script MyAgentScript        # recent runs with status and duration
//   agentlog latest MyAgentScript --raw         # the latest successful run's final response, exactly as stored
//   agentlog show <execution-id>                # one run: counts, errors, learnings, progress
//   agentlog errors <execution-id>              # each error with the events around it
//   agentlog search "words counted"             # BM25 full-text search over every event
//   agentlog learnings                          # what earlier runs learned
//
// Habits: log with named properties ({Name}, never string interpolation); report progress; record what you
// learn with AgentLog.LogLearning; return the result object (it becomes the run's final response); do not
// write to the console (stdout is reserved for the final response). The guides are in the AgentScript
// repository's prompts/ folder.
// Store: the embedded SQLite file by default; set AGENTSCRIPT_STORE (or ARANGO_URL…) to choose another.

using AgentScript;
using AgentScript.Hosting;
using AgentScript.Queries;

namespace MyAgentScript;

/// <summary>
/// Counts the words of a text and reports the most frequent ones.
/// </summary>
/// <remarks>
/// Sample input: "the quick brown fox jumps over the lazy dog".
/// Expected output: {"TotalWords":9,"DistinctWords":8,"TopWords":[{"Word":"the","Count":2},…]}.
/// </remarks>
public static class Script
{
    private const string SampleText = "the quick brown fox jumps over the lazy dog";

    /// <summary>The stable entry: counts the sample's words, checks the counts, returns the report.</summary>
    [AgentScript("working", Description = "Count the sample text's words and verify the counts.")]
    public static WordReport Working(ScriptContext context)
    {
        var log = context.Logger;
        AgentLog.Progress("count", 0);
        var report = WordCounter.Count(SampleText, top: 3);
        log.Information("Counted {TotalWords} words, {DistinctWords} distinct", report.TotalWords, report.DistinctWords);

        AgentLog.Progress("verify", 50);
        // The working entry checks its own result: a wrong answer must fail the run, not slip through.
        if (report.TotalWords != 9 || report.DistinctWords != 8 || report.TopWords[0] != new WordCount("the", 2))
        {
            throw new InvalidOperationException(
                $"Verification failed: expected 9 words, 8 distinct, top word 'the' x2; got {report.TotalWords}, {report.DistinctWords}, {report.TopWords[0]}.");
        }

        AgentLog.Progress("done", 100);
        log.Information("Verified the word counts of {Text}", SampleText);
        return report;
    }

    /// <summary>The entry for trying ideas: here, counting without stop words.</summary>
    [AgentScript("debug", Description = "Try counting without stop words.")]
    public static async Task<WordReport> Debug(ScriptContext context)
    {
        var log = context.Logger;
        AgentLog.Progress("count", 0, new { stopWords = StopWords.Count });
        var words = SampleText.Split(' ').Where(w => !StopWords.Contains(w));
        var report = WordCounter.Count(string.Join(' ', words), top: 3);
        log.Information("Without stop words: {TotalWords} words, {DistinctWords} distinct", report.TotalWords, report.DistinctWords);

        // A learning is kept across runs: later runs (and other agents) can find it with `agentlog learnings`.
        // Record it once: look for it first, so running this entry again does not repeat it.
        var known = await AgentLog.GetLearningsAsync(
            new LearningQuery { Text = "stop words duplicate", ScriptName = context.ScriptName, Limit = 1 },
            context.CancellationToken);
        if (known.Count == 0)
        {
            AgentLog.LogLearning(
                "Dropping stop words removes the duplicate 'the', so every remaining word of the sample is distinct.",
                functionName: nameof(Debug),
                confidence: 0.9);
        }

        // Compare with the last good answer (the latest successful run's final response), if there is one.
        var previous = await AgentLog.GetLatestResponseAsync(context.ScriptName, cancellationToken: context.CancellationToken);
        log.Information("Previous final response {PreviousExecutionId}: {PreviousResponse}", previous?.ExecutionId, previous?.ResponseJson);

        AgentLog.Progress("done", 100);
        return report;
    }

    private static readonly HashSet<string> StopWords = ["the", "over"];
}

/// <summary>The word-counting work, traced: each call is a span with its duration in the store.</summary>
public static class WordCounter
{
    /// <summary>Counts the words of <paramref name="text"/> and keeps the <paramref name="top"/> most frequent.</summary>
    [Traced]
    public static WordReport Count(string text, int top)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var counts = words
            .GroupBy(w => w.ToLowerInvariant())
            .Select(g => new WordCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Word, StringComparer.Ordinal)
            .ToList();
        return new WordReport(words.Length, counts.Count, counts.Take(top).ToList());
    }
}

/// <summary>The final response: word totals and the most frequent words.</summary>
public sealed record WordReport(int TotalWords, int DistinctWords, IReadOnlyList<WordCount> TopWords);

/// <summary>One word and how often it occurs.</summary>
public sealed record WordCount(string Word, int Count);
