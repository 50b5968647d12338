using AgentScript.Queries;
using AgentScript.Sink;
using AgentScript.Storage;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Sink;

/// <summary>A real SQLite store in a temp folder, wrapped in a <see cref="FailingStore"/>, and a buffer folder.</summary>
internal sealed class SinkTestEnvironment : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    public SinkTestEnvironment()
    {
        DatabasePath = Path.Combine(_dir.Path, "agentlog.db");
        BufferDirectory = Path.Combine(_dir.Path, "buffer");
        Sqlite = new SqliteLogStore(DatabasePath);
        Store = new FailingStore(Sqlite);
    }

    public string Root => _dir.Path;
    public string DatabasePath { get; }
    public string BufferDirectory { get; }
    public SqliteLogStore Sqlite { get; }
    public FailingStore Store { get; }
    public StringWriter Diagnostics { get; } = new();

    public WritePipelineOptions PipelineOptions(int batchSize = 50) => new()
    {
        BatchSize = batchSize,
        FlushInterval = TimeSpan.FromMilliseconds(50),
        BufferDirectory = BufferDirectory,
        MinRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(100),
        Diagnostics = TextWriter.Synchronized(Diagnostics),
    };

    public async Task<List<StreamedEvent>> EventsAsync(string? executionId = null)
    {
        await Sqlite.InitializeAsync();
        var list = new List<StreamedEvent>();
        await foreach (var e in Sqlite.StreamEventsAsync(new EventFilter { ExecutionId = executionId }))
        {
            list.Add(e);
        }
        return list;
    }

    public string[] BufferFiles() => Directory.Exists(BufferDirectory)
        ? Directory.GetFiles(BufferDirectory, DurableBuffer.FilePrefix + "*" + DurableBuffer.FileExtension)
        : [];

    public async ValueTask DisposeAsync()
    {
        await Sqlite.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
