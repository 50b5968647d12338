using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

/// <summary>What an integrity check of a SQLite store file found.</summary>
internal enum SqliteIntegrityOutcome
{
    /// <summary>No damage found (<c>PRAGMA quick_check</c> said ok).</summary>
    Ok,
    /// <summary>The file is damaged; <see cref="SqliteIntegrityReport.Problems"/> says where.</summary>
    Damaged,
    /// <summary>The time limit ran out before the check finished (nothing found so far).</summary>
    Unfinished,
    /// <summary>The file could not be checked (missing, locked, unreadable).</summary>
    NotChecked,
}

/// <summary>The result of <see cref="SqliteIntegrityCheck.Run"/>.</summary>
/// <param name="Outcome">What was found.</param>
/// <param name="Problems">SQLite's own descriptions of the damage (at most the number asked for), or why the check did not run.</param>
/// <param name="Elapsed">How long the check ran.</param>
/// <param name="FileBytes">Size of the database file.</param>
internal sealed record SqliteIntegrityReport(SqliteIntegrityOutcome Outcome, IReadOnlyList<string> Problems, TimeSpan Elapsed, long FileBytes);

/// <summary>
/// Checks a SQLite store file for damage in bounded time: <c>PRAGMA quick_check</c> (every page and b-tree,
/// without cross-checking index contents) on a read-only connection, interrupted when the time limit runs out.
/// Reads only, so it is safe while scripts write.
/// </summary>
internal static class SqliteIntegrityCheck
{
    /// <summary>Checks <paramref name="path"/> for at most <paramref name="limit"/>, reporting up to <paramref name="maxProblems"/> problems.</summary>
    public static SqliteIntegrityReport Run(string path, TimeSpan limit, TimeProvider time, int maxProblems = 10, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var bytes = File.Exists(path) ? new FileInfo(path).Length : 0;
        SqliteIntegrityReport Report(SqliteIntegrityOutcome outcome, IReadOnlyList<string> problems) =>
            new(outcome, problems, time.GetElapsedTime(started), bytes);
        if (!File.Exists(path))
        {
            return Report(SqliteIntegrityOutcome.NotChecked, ["The file does not exist (it is created on first use)."]);
        }
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(limit.TotalSeconds)),
        }.ToString();
        using var limitSource = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(limitSource.Token, cancellationToken);
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            var problems = new List<string>();
            using (SqliteQueryGuard.InterruptOn(connection, linked.Token))
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"PRAGMA busy_timeout = {(int)Math.Min(int.MaxValue, limit.TotalMilliseconds)};";
                command.ExecuteNonQuery();
                command.CommandText = $"PRAGMA quick_check({Math.Max(1, maxProblems)});";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    // One row may hold several lines ("*** in database main ***" and the problems under it).
                    problems.AddRange((reader.IsDBNull(0) ? "" : reader.GetString(0))
                        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Where(line => !line.StartsWith("***", StringComparison.Ordinal)));
                }
            }
            return problems is ["ok"]
                ? Report(SqliteIntegrityOutcome.Ok, [])
                : Report(SqliteIntegrityOutcome.Damaged, problems);
        }
        catch (SqliteException e) when (SqliteQueryGuard.IsInterrupt(e))
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Report(SqliteIntegrityOutcome.Unfinished, []);
        }
        catch (SqliteException e) when (SqliteErrors.PrimaryCode(e) is 11 or 26)
        {
            // SQLITE_CORRUPT / SQLITE_NOTADB: damaged beyond what quick_check can walk.
            return Report(SqliteIntegrityOutcome.Damaged, [SqliteErrors.Detail(e)]);
        }
        catch (SqliteException e)
        {
            return Report(SqliteIntegrityOutcome.NotChecked, [SqliteErrors.Detail(e)]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Report(SqliteIntegrityOutcome.NotChecked, [e.Message]);
        }
    }
}
