using Microsoft.Data.Sqlite;

namespace AgentScript.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (WAL, FTS5 with bm25) shared by every script of the user. Several
/// processes may write the same file; each waits for the others' locks up to
/// <see cref="SqliteLogStoreOptions.BusyTimeout"/>, then reports <see cref="StoreUnavailableException"/>.
/// </summary>
/// <remarks>
/// Writes go through one long-lived connection with prepared statements, one transaction per
/// <see cref="WriteAsync"/> batch. Queries use pooled connections; raw queries without writes use a connection
/// opened read-only, so a raw query cannot change the store by any means.
/// </remarks>
internal sealed partial class SqliteLogStore : IAgentLogStore
{
    private readonly string _path;
    private readonly SqliteLogStoreOptions _options;
    private readonly string _readWrite;
    private readonly string _readOnly;
    private readonly string _checkpoint;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly object _initLock = new();
    private volatile bool _initialized;
    private bool _disposed;

    /// <summary>Creates a store over <paramref name="path"/> (the file and its folders are created on first use).</summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">Tuning; null for the defaults.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public SqliteLogStore(string path, SqliteLogStoreOptions? options = null)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("The SQLite store path is empty. Set AGENTSCRIPT_STORE=sqlite:<path> or leave it unset for the default.", nameof(path));
        }
        _path = Path.GetFullPath(path);
        _options = options ?? new SqliteLogStoreOptions();
        var timeoutSeconds = Math.Max(1, (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds));
        _readWrite = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
        // The background checkpointer holds its own connection for the writer's lifetime, outside the pool.
        _checkpoint = new SqliteConnectionStringBuilder(_readWrite) { Pooling = false }.ToString();
        _readOnly = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadOnly,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = timeoutSeconds,
        }.ToString();
    }

    /// <inheritdoc/>
    public string Kind => "sqlite";

    /// <inheritdoc/>
    public string Location => _path;

    /// <inheritdoc/>
    public Task<StoreInfo> InitializeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Run(() =>
        {
            var created = EnsureSchema();
            using var connection = OpenRead(readOnly: false);
            var counts = new Dictionary<string, long>();
            foreach (var table in SqliteSchema.Tables)
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = table == "log_events"
                    ? "SELECT n FROM store_counts WHERE name = 'log_events'"
                    : $"SELECT count(*) FROM {table}"; // table names are constants; these tables stay small
                counts[table] = (long)cmd.ExecuteScalar()!;
            }
            return new StoreInfo(Kind, _path, SqliteSchema.Version, created, counts);
        });
    }

    /// <summary>Creates the file (owner-only on Unix) and the schema unless present. Returns true when it created the schema.</summary>
    private bool EnsureSchema()
    {
        lock (_initLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CreateFile();
            using var connection = new SqliteConnection(_readWrite);
            connection.Open();
            Configure(connection);
            // 16 KiB pages (new files only; an existing file keeps its page size): fewer page splits, log frames
            // and write calls per event than 4 KiB. Measured on the store probe: see docs/architecture.md, "Write path".
            Exec(connection, $"PRAGMA page_size = {SqliteSchema.PageSize}; PRAGMA journal_mode=WAL;");
            // BEGIN IMMEDIATE takes the write lock first, so two processes initialising at once run one after
            // the other and the second sees user_version already set.
            using var tx = connection.BeginTransaction(deferred: false);
            using var read = connection.CreateCommand();
            read.Transaction = tx;
            read.CommandText = "PRAGMA user_version;";
            var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (version > SqliteSchema.Version)
            {
                throw new StoreUnavailableException(
                    $"The SQLite store '{_path}' has schema version {version}, newer than this AgentScript understands ({SqliteSchema.Version}). Fix: update AgentScript (and the agentlog tool), or choose another file with AGENTSCRIPT_STORE=sqlite:<path>.");
            }
            read.CommandText = "SELECT name FROM sqlite_master WHERE name IN ('log_events_fts', 'agent_learnings_fts')";
            var ftsPresent = new HashSet<string>(StringComparer.Ordinal);
            using (var reader = read.ExecuteReader())
            {
                while (reader.Read())
                {
                    ftsPresent.Add(reader.GetString(0));
                }
            }
            // The script is idempotent (IF NOT EXISTS), so running it every time also restores a dropped table or
            // index; a search index that had to be made again is refilled from its table.
            using (var create = connection.CreateCommand())
            {
                create.Transaction = tx;
                create.CommandText = SqliteSchema.CreateScript + (version < SqliteSchema.Version ? $"\nPRAGMA user_version = {SqliteSchema.Version};" : "");
                if (version > 0 && !ftsPresent.Contains("log_events_fts"))
                {
                    create.CommandText += $"\nINSERT INTO log_events_fts (rowid, message, exception, payload) SELECT id, message, {SqliteSchema.ExceptionTextExpression}, payload FROM log_events;";
                }
                if (version > 0 && !ftsPresent.Contains("agent_learnings_fts"))
                {
                    create.CommandText += "\nINSERT INTO agent_learnings_fts (rowid, learning, context) SELECT id, learning, context FROM agent_learnings;";
                }
                create.ExecuteNonQuery();
            }
            AddMissingColumns(connection, tx);
            var created = version == 0;
            tx.Commit();
            _initialized = true;
            return created;
        }
    }

    private static void AddMissingColumns(SqliteConnection connection, SqliteTransaction tx)
    {
        // Additive columns: a file made before them gets them here (readers of older versions ignore them).
        foreach (var (table, column, add) in SqliteSchema.AddedColumns)
        {
            using var check = connection.CreateCommand();
            check.Transaction = tx;
            check.CommandText = $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
            if (Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                check.CommandText = add;
                check.ExecuteNonQuery();
            }
        }
    }

    private void EnsureInitialized()
    {
        if (!_initialized)
        {
            EnsureSchema();
        }
    }

    private void CreateFile()
    {
        if (File.Exists(_path))
        {
            return;
        }
        var directory = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(directory))
        {
            PrivateDirectory.Create(directory);
        }
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            // SQLite gives the -wal and -shm files the permissions of the database file, so owner-only here
            // keeps all three private.
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using var _ = new FileStream(_path, fileOptions);
        }
        catch (IOException) when (File.Exists(_path))
        {
            // Another process created it at the same moment.
        }
    }

    /// <summary>Opens a pooled connection for a query (read-only when asked; the schema must exist).</summary>
    private SqliteConnection OpenRead(bool readOnly)
    {
        EnsureInitialized();
        var connection = new SqliteConnection(readOnly ? _readOnly : _readWrite);
        try
        {
            connection.Open();
            Configure(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Configure(SqliteConnection connection) =>
        Exec(connection, $"PRAGMA busy_timeout = {(int)_options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Runs store work, mapping file-level failures to <see cref="StoreUnavailableException"/>.</summary>
    private Task<T> Run<T>(Func<T> work)
    {
        try
        {
            return Task.FromResult(Guard(work));
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    private T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (SqliteException e) when (SqliteErrors.IsUnavailable(e))
        {
            throw SqliteErrors.Unavailable(_path, e);
        }
        catch (SqliteException e) when (e.Message.Contains("fts5", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreUnavailableException($"The SQLite library in use has no FTS5, which the store '{_path}' needs. Fix: use the SQLite bundled with Microsoft.Data.Sqlite (e_sqlite3). (SQLite: {e.Message})", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw SqliteErrors.Unavailable(_path, e);
        }
        catch (SqliteException e)
        {
            // Not about the data given (that is rejected per item) and not a lock: most likely a damaged or
            // hand-edited schema. Unavailable keeps the writes in the durable buffer until it is repaired.
            throw new StoreUnavailableException(
                $"The SQLite store '{_path}' failed: {e.Message.TrimEnd('.')}. Fix: run 'agentlog doctor' to check the file; if its tables were changed by hand, move the file aside and let AgentScript create a new one.", e);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            CloseWriter();
            // Pooled connections keep the file open; release them so the file can be moved or deleted.
            using (var rw = new SqliteConnection(_readWrite))
            {
                SqliteConnection.ClearPool(rw);
            }
            using (var ro = new SqliteConnection(_readOnly))
            {
                SqliteConnection.ClearPool(ro);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
