using AgentScript.Storage;
using AgentScript.Storage.Sqlite;

namespace AgentScript.Tests.Storage;

/// <summary>The store contract on a real SQLite file in a temporary folder.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly TempDirectory _dir = new();

    protected override Task<IAgentLogStore> CreateStoreAsync() =>
        Task.FromResult<IAgentLogStore>(new SqliteLogStore(Path.Combine(_dir.Path, "sub", "agentlog.db")));

    protected override string NativeSelectMessagesOfRun => "SELECT message FROM log_events WHERE execution_id = @id ORDER BY timestamp";
    protected override string NativeWrite => "DELETE FROM log_events";
    protected override string NativeMalformed => "SELEC message FROM log_events";

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
