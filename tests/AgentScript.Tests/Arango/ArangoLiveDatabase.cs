using AgentScript.Configuration;
using AgentScript.Storage.Arango;

[assembly: AssemblyFixture(typeof(AgentScript.Tests.Arango.ArangoLiveDatabase))]

namespace AgentScript.Tests.Arango;

/// <summary>
/// The live ArangoDB server of <c>AGENTSCRIPT_TEST_ARANGO_URL</c> (if any) and a database of its own for this test
/// run, dropped when the run ends so a shared server is left as it was.
/// </summary>
public sealed class ArangoLiveDatabase : IAsyncDisposable
{
    /// <summary>Connection settings, or null when no server is configured.</summary>
    public ArangoOptions? Options { get; } = Create();

    private static ArangoOptions? Create()
    {
        var url = Environment.GetEnvironmentVariable("AGENTSCRIPT_TEST_ARANGO_URL");
        return string.IsNullOrWhiteSpace(url) ? null : new ArangoOptions
        {
            Url = new Uri(url),
            Username = Environment.GetEnvironmentVariable("ARANGO_USERNAME") ?? "root",
            Password = Environment.GetEnvironmentVariable("ARANGO_PASSWORD") ?? "openSesame",
            Database = "agentscript_test_" + Guid.NewGuid().ToString("N")[..8],
            // scripts/arango-live-tests.sh sets these for the cluster run, so sharded collections are what gets tested.
            NumberOfShards = Int("ARANGO_NUMBER_OF_SHARDS"),
            ReplicationFactor = Int("ARANGO_REPLICATION_FACTOR"),
            WriteConcern = Int("ARANGO_WRITE_CONCERN"),
        };
    }

    private static int Int(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;

    public async ValueTask DisposeAsync()
    {
        if (Options is not null)
        {
            using var client = new ArangoClient(Options);
            try
            {
                await client.DropDatabaseAsync(Options.Database);
            }
            catch (ArangoException)
            {
                // Server gone already: nothing to clean.
            }
        }
    }
}
