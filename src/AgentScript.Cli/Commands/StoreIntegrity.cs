using System.Globalization;
using System.Text.Json.Nodes;
using AgentScript.Cli.Output;
using AgentScript.Storage.Sqlite;

namespace AgentScript.Cli.Commands;

/// <summary>
/// <c>doctor</c>'s integrity section for the SQLite store: runs the bounded check and words its outcome, naming the
/// file and the ways out when it is damaged.
/// </summary>
internal sealed record StoreIntegrity(string Path, TimeSpan Limit, SqliteIntegrityReport Report)
{
    /// <summary>Checks <paramref name="path"/> for at most <paramref name="limit"/>.</summary>
    public static StoreIntegrity Check(string path, TimeSpan limit, CancellationToken cancellationToken) =>
        new(path, limit, SqliteIntegrityCheck.Run(path, limit, TimeProvider.System, maxProblems: 10, cancellationToken));

    /// <summary>What to do about a damaged file, one step per line (commands quoted with the real path).</summary>
    public IReadOnlyList<string> Advice()
    {
        var q = Quote(Path);
        return
        [
            "Stop the scripts that write to it (new events wait in the durable buffer; 'agentlog flush' replays them later).",
            $"Recover what SQLite can still read into a new file: sqlite3 {q} .recover | sqlite3 {Quote(Path + ".recovered")}, " +
            $"then move the damaged file aside (mv {q} {Quote(Path + ".damaged")}; remove any {Quote(Path + "-wal")} and -shm files with it) " +
            $"and put the recovered file in its place (mv {Quote(Path + ".recovered")} {q}).",
            "Or restore the file from a backup, or move it aside and let AgentScript create a new, empty store on the next run.",
            "Then run 'agentlog doctor' again.",
        ];
    }

    /// <summary>The human-readable section.</summary>
    public string Describe()
    {
        var took = Tables.Duration(Report.Elapsed.TotalMilliseconds);
        return Report.Outcome switch
        {
            SqliteIntegrityOutcome.Ok => $"OK: {Path} passed PRAGMA quick_check in {took}.",
            SqliteIntegrityOutcome.Unfinished =>
                $"NOT FINISHED: the check of {Path} ({Megabytes()}) stopped at its {Tables.Duration(Limit.TotalMilliseconds)} limit without finding damage. " +
                "Run 'agentlog doctor --integrity-limit 10m' to check the whole file.",
            SqliteIntegrityOutcome.NotChecked => $"Not checked: {string.Join(" ", Report.Problems)}",
            _ => $"DAMAGED: {Path} failed PRAGMA quick_check. SQLite reports:\n" +
                 string.Concat(Report.Problems.Select(p => $"  {p}\n")) +
                 "What to do:\n" + string.Concat(Advice().Select((a, i) => $"  {i + 1}. {a}\n")).TrimEnd('\n'),
        };
    }

    /// <summary>The JSON section: {path, status, problems, seconds, limit_seconds, file_bytes, advice}.</summary>
    public JsonObject ToJson() => new()
    {
        ["path"] = Path,
        ["status"] = Report.Outcome switch
        {
            SqliteIntegrityOutcome.Ok => "ok",
            SqliteIntegrityOutcome.Damaged => "damaged",
            SqliteIntegrityOutcome.Unfinished => "unfinished",
            _ => "not_checked",
        },
        ["problems"] = JsonShapes.Array(Report.Problems, p => JsonValue.Create(p)),
        ["seconds"] = Math.Round(Report.Elapsed.TotalSeconds, 3),
        ["limit_seconds"] = Limit.TotalSeconds,
        ["file_bytes"] = Report.FileBytes,
        ["advice"] = Report.Outcome == SqliteIntegrityOutcome.Damaged ? JsonShapes.Array(Advice(), a => JsonValue.Create(a)) : null,
    };

    private string Megabytes() => (Report.FileBytes / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture) + " MB";

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
