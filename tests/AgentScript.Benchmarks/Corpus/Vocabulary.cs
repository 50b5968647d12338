namespace AgentScript.Benchmarks.Corpus;

/// <summary>Word pools for the corpus: real domain words for the head, generated pseudo-words for the long tail.</summary>
internal static class Vocabulary
{
    public static readonly string[] Subjects =
    [
        "cache", "indexer", "planner", "tokenizer", "crawler", "scheduler", "retriever", "embedder", "ranker", "parser",
        "uploader", "downloader", "compiler", "linter", "formatter", "resolver", "validator", "summarizer", "translator", "classifier",
        "extractor", "deduplicator", "sandbox", "executor", "watcher", "notifier", "mailer", "exporter", "importer", "migrator",
        "tool", "agent", "session", "worker", "queue", "pipeline", "checkpoint", "snapshot", "manifest", "registry",
        "repository", "branch", "commit", "patch", "diff", "test", "fixture", "benchmark", "profile", "trace",
        "prompt", "completion", "embedding", "chunk", "document", "page", "table", "column", "record", "batch",
        "request", "response", "socket", "stream", "buffer", "lease", "lock", "token", "credential", "quota",
    ];

    public static readonly string[] Verbs =
    [
        "loaded", "rejected", "retried", "skipped", "started", "finished", "failed", "timed out", "was throttled", "recovered",
        "resumed", "paused", "cancelled", "expired", "refreshed", "evicted", "flushed", "compacted", "rebuilt", "verified",
        "accepted", "dropped", "merged", "split", "scored", "ranked", "parsed", "rendered", "uploaded", "downloaded",
        "queued", "dequeued", "opened", "closed", "renamed", "deleted", "created", "updated", "synced", "restored",
        "validated", "normalized", "truncated", "summarized", "translated", "indexed", "reindexed", "hashed", "signed", "sealed",
    ];

    public static readonly string[] Frames =
    [
        "{S} {V} {Id} after {ElapsedMs} ms",
        "{S} {V} for {User} on {Host}",
        "{S} {V}: {Count} items in {ElapsedMs} ms",
        "{S} {V} {Path} ({Bytes} bytes)",
        "{S} {V} request to {Url} with status {StatusCode}",
        "{S} {V} using model {Model} with {Tokens} tokens",
        "{S} {V} while reading {Path} at line {Line}",
        "{S} {V} in stage {Stage} ({Percent}% done)",
        "{S} {V} key {Key} in region {Region}",
        "{S} {V} attempt {Attempt} of {MaxAttempts} for {Id}",
        "{S} {V} query {Word} {Word2} returning {Count} hits",
        "{S} {V} on branch {Branch} at commit {Sha}",
        "{S} {V} job {JobId} for tenant {Tenant}",
        "{S} {V} with exit code {ExitCode} after {ElapsedMs} ms",
        "{S} {V} because {Word} exceeded limit {Limit}",
        "{S} {V} config {ConfigKey} = {ConfigValue}",
        "{S} {V} file {Path} into {Path2}",
        "{S} {V} {Count} rows from table {Table}",
        "{S} {V} chunk {Chunk} of document {DocId}",
        "{S} {V} and wrote {Bytes} bytes to {Path}",
        "{S} {V} for host {Host} port {Port}",
        "{S} {V} with temperature {Temperature} and top_p {TopP}",
        "{S} {V} message {Id} from queue {Queue}",
        "{S} {V} test {TestName} in {ElapsedMs} ms",
        "{S} {V} package {Package} version {Version}",
        "{S} {V} URL {Url} redirected to {Url2}",
        "{S} {V} lease {Id} held by {User}",
        "{S} {V} {Count} embeddings of dimension {Dimension}",
        "{S} {V} span {SpanName} of trace {TraceId}",
        "{S} {V}; next run at {NextRun}",
    ];

    public static readonly string[] ExceptionTypes =
    [
        "System.InvalidOperationException", "System.ArgumentException", "System.ArgumentNullException", "System.IO.IOException",
        "System.IO.FileNotFoundException", "System.IO.DirectoryNotFoundException", "System.TimeoutException",
        "System.Net.Http.HttpRequestException", "System.Threading.Tasks.TaskCanceledException", "System.FormatException",
        "System.Text.Json.JsonException", "System.UnauthorizedAccessException", "System.NotSupportedException",
        "System.Collections.Generic.KeyNotFoundException", "System.IndexOutOfRangeException", "System.NullReferenceException",
        "System.OverflowException", "System.Net.Sockets.SocketException", "Microsoft.Data.Sqlite.SqliteException",
        "Agents.Tools.ToolExecutionException", "Agents.Llm.RateLimitException", "Agents.Llm.ContextLengthExceededException",
        "Agents.Retrieval.EmptyResultException", "Agents.Sandbox.SandboxViolationException", "Agents.Git.MergeConflictException",
    ];

    public static readonly string[] ExceptionMessages =
    [
        "Sequence contains no matching element for {0}",
        "Value cannot be null. (Parameter '{0}')",
        "Could not find file '{1}'",
        "Could not find a part of the path '{1}'",
        "The operation has timed out after {2} ms",
        "Response status code does not indicate success: {3} ({4})",
        "A task was canceled while waiting for {0}",
        "'{0}' is an invalid start of a value. Path: $.{0} | LineNumber: {2} | BytePositionInLine: {3}",
        "Access to the path '{1}' is denied",
        "The given key '{0}' was not present in the dictionary",
        "Index was outside the bounds of the array at position {2}",
        "Connection refused ({4}:{3})",
        "SQLite Error 5: 'database is locked' while writing {0}",
        "Tool {0} returned exit code {3}",
        "Rate limit exceeded for model {5}: retry after {2} ms",
        "Context length {2} exceeds the model maximum {3} for {5}",
        "No documents matched query '{0}'",
        "Sandbox denied access to {1}",
        "Merge conflict in {1} on branch {0}",
        "Collection was modified; enumeration operation may not execute ({0})",
    ];

    public static readonly string[] Models = ["gpt-4o", "gpt-4o-mini", "claude-sonnet", "claude-haiku", "llama-3-70b", "mistral-large", "qwen2-72b", "gemini-pro", "phi-3", "command-r"];
    public static readonly string[] Regions = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-south-1", "ap-northeast-1", "sa-east-1"];
    public static readonly string[] Extensions = ["cs", "json", "md", "py", "ts", "yaml", "csv", "txt", "sql", "log", "xml", "toml"];
    public static readonly string[] Dirs = ["src", "tests", "docs", "data", "scripts", "tools", "build", "config", "samples", "lib", "cache", "out"];

    private static readonly string[] Onsets = ["b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "kr", "st", "tr", "pl", "gr", "sh", "th", "ch"];
    private static readonly string[] Nuclei = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"];
    private static readonly string[] Codas = ["", "n", "r", "s", "x", "l", "m", "nd", "rt", "st", "k", "th"];

    /// <summary>Deterministic pseudo-words (2–3 syllables) for names, projects and the long tail of terms.</summary>
    public static string[] PseudoWords(Random rng, int count)
    {
        var set = new HashSet<string>(count);
        while (set.Count < count)
        {
            var syllables = rng.Next(2, 4);
            var w = "";
            for (var i = 0; i < syllables; i++)
            {
                w += Onsets[rng.Next(Onsets.Length)] + Nuclei[rng.Next(Nuclei.Length)] + (i == syllables - 1 ? Codas[rng.Next(Codas.Length)] : "");
            }
            set.Add(w);
        }
        return [.. set];
    }
}
