using Microsoft.Data.Sqlite;

namespace AgentScript.Tests.Reliability;

/// <summary>Counts rows straight from a SQLite store file, so duplicates (same id twice) would show.</summary>
internal static class StoreRows
{
    public static (long Rows, long DistinctIds) Count(string databasePath, string table, string idColumn, string? where = null)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*), COUNT(DISTINCT {idColumn}) FROM {table}" + (where is null ? "" : " WHERE " + where);
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>A JSON property of every event of a run, in store (insertion) order.</summary>
    public static List<string> ExtraValuesInStoreOrder(string databasePath, string executionId, string property)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT json_extract(extra, $p) FROM log_events WHERE execution_id = $id ORDER BY id";
        cmd.Parameters.AddWithValue("$p", "$." + property);
        cmd.Parameters.AddWithValue("$id", executionId);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.IsDBNull(0) ? "" : Convert.ToString(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }
        return list;
    }

    /// <summary>Holds <c>BEGIN EXCLUSIVE</c> on the database until disposed: every other writer gets SQLITE_BUSY.</summary>
    public static IDisposable LockExclusively(string databasePath)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        c.Open();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "PRAGMA busy_timeout = 0; BEGIN EXCLUSIVE;";
            cmd.ExecuteNonQuery();
        }
        return new Releaser(c);
    }

    private sealed class Releaser(SqliteConnection c) : IDisposable
    {
        public void Dispose()
        {
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "COMMIT";
                cmd.ExecuteNonQuery();
            }
            c.Dispose();
        }
    }
}
