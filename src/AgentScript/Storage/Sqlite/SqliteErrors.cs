using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

/// <summary>Maps SQLite failures to the store's exceptions with a message naming the file and the fix.</summary>
internal static class SqliteErrors
{
    private const int Busy = 5, Locked = 6, NoMem = 7, ReadOnly = 8, IoErr = 10, Corrupt = 11, Full = 13,
        CantOpen = 14, Protocol = 15, NotADb = 26, Perm = 3, Auth = 23;

    /// <summary>True when the failure is about the file or its lock, not about the data written.</summary>
    public static bool IsUnavailable(SqliteException e) => PrimaryCode(e) is Busy or Locked or NoMem or ReadOnly
        or IoErr or Corrupt or Full or CantOpen or Protocol or NotADb or Perm or Auth;

    /// <summary>An exception for <paramref name="e"/> in <paramref name="path"/>.</summary>
    public static StoreUnavailableException Unavailable(string path, Exception e)
    {
        int? code = e is SqliteException se ? PrimaryCode(se) : null;
        var what = code switch
        {
            Busy or Locked =>
                $"The SQLite store '{path}' is locked by another process or connection. Fix: wait for it to finish or close the program holding the lock (a long write or an open transaction); the events are kept in the durable buffer meanwhile.",
            ReadOnly or Perm or Auth =>
                $"The SQLite store '{path}' cannot be written. Fix: make the file and its folder writable by this user, or choose another file with AGENTSCRIPT_STORE=sqlite:<path>.",
            Full =>
                $"The disk holding the SQLite store '{path}' is full. Fix: free space, prune old logs (agentlog prune --older-than 30d), or choose another file with AGENTSCRIPT_STORE=sqlite:<path>.",
            Corrupt or NotADb =>
                $"The file '{path}' is not a usable SQLite database (damaged or another kind of file). Fix: move it aside and let AgentScript create a new one, or choose another file with AGENTSCRIPT_STORE=sqlite:<path>.",
            _ =>
                $"The SQLite store '{path}' cannot be opened or written. Fix: check that the folder exists or can be created and is writable by this user, or choose another file with AGENTSCRIPT_STORE=sqlite:<path>.",
        };
        return new StoreUnavailableException($"{what} (SQLite: {Detail(e)})", e);
    }

    /// <summary>The primary result code (extended codes carry it in the low byte).</summary>
    public static int PrimaryCode(SqliteException e) => e.SqliteErrorCode & 0xFF;

    /// <summary>The SQLite message without the "SQLite Error N:" prefix noise.</summary>
    public static string Detail(Exception e) => e is SqliteException se ? se.Message : e.Message;
}
