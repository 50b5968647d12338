using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AgentScript.Storage.Sqlite;

/// <summary>
/// Bounds raw SQL: a cancelled token interrupts the running statement (<c>sqlite3_interrupt</c>), and in read-only
/// mode a PRAGMA that would change the store is refused before it runs (otherwise it waits for a write lock a
/// read-only connection never gets, and ends as "store unavailable" after the busy timeout).
/// </summary>
internal static class SqliteQueryGuard
{
    private const int Interrupt = 9;

    /// <summary>Interrupts whatever statement runs on <paramref name="connection"/> once <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <remarks>Dispose the registration before the connection goes back to the pool.</remarks>
    public static CancellationTokenRegistration InterruptOn(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var handle = connection.Handle;
        return handle is null || !cancellationToken.CanBeCanceled
            ? default
            : cancellationToken.Register(static h => raw.sqlite3_interrupt((sqlite3)h!), handle);
    }

    /// <summary>True when <paramref name="e"/> reports a statement stopped by <see cref="InterruptOn"/>.</summary>
    public static bool IsInterrupt(SqliteException e) => SqliteErrors.PrimaryCode(e) == Interrupt;

    /// <summary>
    /// The first PRAGMA statement of <paramref name="sql"/> that sets a value and would change the store, or null.
    /// Statements are compiled, not run; checking stops at the first one that does not compile on its own (the
    /// query then reports its error when it runs).
    /// </summary>
    public static string? WritingPragma(SqliteConnection connection, string sql)
    {
        var db = connection.Handle;
        if (db is null)
        {
            return null;
        }
        var rest = sql;
        while (!string.IsNullOrWhiteSpace(rest))
        {
            if (raw.sqlite3_prepare_v2(db, rest, out var stmt, out var tail) != raw.SQLITE_OK)
            {
                stmt?.Dispose();
                return null;
            }
            using (stmt)
            {
                var text = rest[..(rest.Length - (tail?.Length ?? 0))].Trim();
                if (stmt is not null && !stmt.IsInvalid
                    && text.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase)
                    && text.AsSpan().IndexOfAny('=', '(') >= 0
                    && raw.sqlite3_stmt_readonly(stmt) == 0)
                {
                    return text.TrimEnd(';').Trim();
                }
            }
            if (tail is null || tail.Length >= rest.Length)
            {
                return null;
            }
            rest = tail;
        }
        return null;
    }
}
