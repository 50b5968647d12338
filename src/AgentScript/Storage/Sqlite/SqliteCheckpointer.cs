using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file on a background thread, so the writer does not.
/// </summary>
/// <remarks>
/// Why: with SQLite's automatic checkpoint the connection that commits copies every WAL page into the database
/// file (and syncs it) inside its commit. Measured on the store probe that was 30–40 % of the time per event.
/// A checkpoint on another connection runs concurrently with the writer in WAL mode (readers and the writer are
/// never blocked by a PASSIVE checkpoint). The writer keeps SQLite's automatic checkpoint as a safety valve at a
/// much higher threshold (<see cref="SafetyValveBytes"/>), so the log stays bounded even if this thread falls
/// behind or fails.
/// </remarks>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>WAL size at which the writer checkpoints by itself (SQLite's auto-checkpoint, in pages of this size).</summary>
    public const long SafetyValveBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Least time between two background checkpoints. Each checkpoint syncs the log and the file; one per commit
    /// cost more CPU than SQLite's default (every ~4 MB of log) when batches are small (measured at 1,000-event
    /// batches), so requests within this interval are merged into one checkpoint.
    /// </summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _checkpoints;

    public SqliteCheckpointer(string connectionString, int busyTimeoutMs)
    {
        _connectionString = connectionString;
        _busyTimeoutMs = busyTimeoutMs;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Checkpoints run so far (for tests).</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Asks for a checkpoint after a commit. Requests made while one runs are merged into the next.</summary>
    public void Request()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another request got there first: one checkpoint covers both.
            }
        }
    }

    private async Task LoopAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                await _signal.WaitAsync(_stop.Token).ConfigureAwait(false);
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(_connectionString);
                        connection.Open();
                        using var setup = connection.CreateCommand();
                        setup.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs};";
                        setup.ExecuteNonQuery();
                    }
                    using var cmd = connection.CreateCommand();
                    // PASSIVE: copy what no reader still needs, never wait for readers or the writer.
                    cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    cmd.ExecuteNonQuery();
                    Interlocked.Increment(ref _checkpoints);
                }
                catch (SqliteException)
                {
                    // Busy, locked or the file went away: the writer's safety valve still bounds the log, and the
                    // next request tries again on a fresh connection.
                    connection?.Dispose();
                    connection = null;
                }
                await Task.Delay(MinInterval, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            connection?.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait();
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation; nothing else escapes it.
        }
        _stop.Dispose();
        _signal.Dispose();
    }
}
