using System.Globalization;
using AgentScript.Model;
using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

internal sealed partial class SqliteLogStore
{
    private SqliteConnection? _writer;
    private SqliteWriteCommands? _commands;
    private SqliteCheckpointer? _checkpointer;

    /// <summary>Background checkpoints run by the current writer (for tests).</summary>
    internal long BackgroundCheckpoints => _checkpointer?.Checkpoints ?? 0;

    /// <inheritdoc/>
    public async Task<WriteOutcome> WriteAsync(IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        cancellationToken.ThrowIfCancellationRequested();
        if (writes.Count == 0)
        {
            return WriteOutcome.Success;
        }
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return Guard(() => WriteBatch(writes));
            }
            catch (StoreUnavailableException)
            {
                // The connection may be broken (file moved, disk full); start afresh next time.
                CloseWriter();
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private WriteOutcome WriteBatch(IReadOnlyList<StoreWrite> writes)
    {
        EnsureInitialized();
        var commands = OpenWriter();
        var rejected = new List<RejectedWrite>();
        var valid = new List<StoreWrite>(writes.Count);
        foreach (var write in writes)
        {
            if (Rules.WriteRules.Validate(write) is { } reason)
            {
                rejected.Add(new RejectedWrite(write, reason));
            }
            else
            {
                valid.Add(write);
            }
        }
        if (valid.Count == 0)
        {
            return Rules.WriteRules.InInputOrder(writes, rejected);
        }

        // First try: the whole batch in one transaction (the fast path). If the database refuses an item for
        // good, roll back and apply item by item under savepoints, so only the refused items are left out.
        try
        {
            using var tx = _writer!.BeginTransaction(deferred: false);
            commands.Begin(tx);
            foreach (var write in valid)
            {
                Apply(commands, write);
            }
            commands.IndexNewEvents();
            tx.Commit();
            _checkpointer?.Request();
            return rejected.Count == 0 ? WriteOutcome.Success : Rules.WriteRules.InInputOrder(writes, rejected);
        }
        catch (Exception e) when (IsPermanent(e))
        {
            // Fall through to the careful path.
        }

        using (var tx = _writer!.BeginTransaction(deferred: false))
        {
            commands.Begin(tx);
            var i = 0;
            foreach (var write in valid)
            {
                var savepoint = "w" + i++.ToString(CultureInfo.InvariantCulture);
                tx.Save(savepoint);
                try
                {
                    Apply(commands, write);
                    tx.Release(savepoint);
                }
                catch (Exception e) when (IsPermanent(e))
                {
                    tx.Rollback(savepoint);
                    tx.Release(savepoint);
                    rejected.Add(new RejectedWrite(write, SqliteErrors.Detail(e)));
                }
            }
            commands.IndexNewEvents();
            tx.Commit();
        }
        _checkpointer?.Request();
        return Rules.WriteRules.InInputOrder(writes, rejected);
    }

    /// <summary>
    /// True when the database refused an item for good (a constraint, a value too big or of the wrong type):
    /// that item is rejected. Anything else (a damaged schema, a lock) keeps the whole batch for a retry.
    /// </summary>
    private static bool IsPermanent(Exception e) => e switch
    {
        SqliteException se => SqliteErrors.PrimaryCode(se) is 18 or 19 or 20 or 25,
        ArgumentException or FormatException or InvalidCastException or OverflowException => true,
        _ => false,
    };

    private void Apply(SqliteWriteCommands c, StoreWrite write)
    {
        switch (write)
        {
            case EventWrite a:
                c.InsertEvent(a.Event);
                break;
            case RunStartWrite s:
                c.StartRun(s.Run);
                break;
            case ProgressWrite p:
                c.EnsureRun(p.ExecutionId, p.Progress.Time);
                c.SetProgress(p.ExecutionId, p.Progress);
                break;
            case FinalResponseWrite f:
                c.EnsureRun(f.ExecutionId, _options.Time.GetUtcNow());
                c.SetFinalResponse(f.ExecutionId, f.ResponseJson);
                break;
            case RunEndWrite end:
                c.EnsureRun(end.End.ExecutionId, end.End.EndTime - TimeSpan.FromMilliseconds(Math.Max(0, end.End.DurationMs)));
                c.EndRun(end.End);
                break;
            case LearningWrite l:
                c.InsertLearning(l.Learning);
                break;
            case RelationWrite r:
                c.InsertRelation(r.Relation);
                break;
        }
    }

    private SqliteWriteCommands OpenWriter()
    {
        if (_commands is not null)
        {
            return _commands;
        }
        var connection = new SqliteConnection(_readWrite);
        try
        {
            connection.Open();
            Configure(connection);
            ConfigureWriter(connection);
            _writer = connection;
            _commands = new SqliteWriteCommands(connection);
            _checkpointer = new SqliteCheckpointer(_checkpoint, (int)_options.BusyTimeout.TotalMilliseconds);
            return _commands;
        }
        catch
        {
            connection.Dispose();
            _writer = null;
            throw;
        }
    }

    /// <summary>
    /// Writer-only settings. The background checkpointer copies the log into the file; SQLite's own
    /// auto-checkpoint on this connection stays as a safety valve at <see cref="SqliteCheckpointer.SafetyValveBytes"/>,
    /// and the log file is cut back to that size after it restarts. A 16 MiB page cache (default 2 MiB) keeps the
    /// index and FTS pages a batch touches in memory on a large store (measured ~20 % faster on a 400k-event store).
    /// </summary>
    private const int WriterCacheKiB = 16 * 1024;

    private static void ConfigureWriter(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA page_size;";
        var pageSize = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        var pages = SqliteCheckpointer.SafetyValveBytes / Math.Max(512, pageSize);
        Exec(connection, $"PRAGMA wal_autocheckpoint = {pages}; PRAGMA journal_size_limit = {SqliteCheckpointer.SafetyValveBytes}; PRAGMA cache_size = -{WriterCacheKiB};");
    }

    private void CloseWriter()
    {
        _checkpointer?.Dispose();
        _checkpointer = null;
        _commands?.Dispose();
        _commands = null;
        _writer?.Dispose();
        _writer = null;
    }
}
