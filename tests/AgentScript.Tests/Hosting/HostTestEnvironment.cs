using AgentScript.Configuration;
using AgentScript.Hosting;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Hosting;

/// <summary>A temp folder with a real SQLite store path and buffer, and host options that point at them.</summary>
internal sealed class HostTestEnvironment : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    public HostTestEnvironment()
    {
        DatabasePath = Path.Combine(_dir.Path, "agentlog.db");
        Options = new AgentScriptOptions
        {
            SqlitePath = DatabasePath,
            BufferDirectory = Path.Combine(_dir.Path, "buffer"),
            FlushInterval = TimeSpan.FromMilliseconds(50),
        };
    }

    public string Root => _dir.Path;
    public string DatabasePath { get; }
    public AgentScriptOptions Options { get; }
    public StringWriter Stdout { get; } = new();
    public StringWriter Stderr { get; } = new();

    /// <summary>Host options for this environment; the run is cancelled with the test unless another token is given.</summary>
    public ScriptHostOptions HostOptions(CancellationToken? cancellationToken = null) => new()
    {
        Options = Options,
        Stdout = Stdout,
        Stderr = TextWriter.Synchronized(Stderr),
        HandleProcessEvents = false,
        CancellationToken = cancellationToken ?? TestContext.Current.CancellationToken,
    };

    /// <summary>Opens the store the host wrote to (a fresh instance, as another process would).</summary>
    public async Task<SqliteLogStore> OpenStoreAsync()
    {
        var store = new SqliteLogStore(DatabasePath);
        await store.InitializeAsync();
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Task.Yield();
        _dir.Dispose();
    }
}
