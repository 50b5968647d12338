using AgentScript.Configuration;
using AgentScript.Storage;
using AgentScript.Storage.Arango;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Arango;

/// <summary>
/// The store contract against a live ArangoDB 3.12 server named by <c>AGENTSCRIPT_TEST_ARANGO_URL</c>
/// (user/password from <c>ARANGO_USERNAME</c>/<c>ARANGO_PASSWORD</c>, default root/openSesame). Each test run uses
/// its own database <c>agentscript_test_{random}</c>; skipped when the variable is not set.
/// </summary>
public sealed class ArangoStoreContractTests : StoreContractTests
{
    private static readonly string s_database = "agentscript_test_" + Guid.NewGuid().ToString("N")[..8];

    protected override Task<IAgentLogStore> CreateStoreAsync()
    {
        var url = Environment.GetEnvironmentVariable("AGENTSCRIPT_TEST_ARANGO_URL");
        if (string.IsNullOrWhiteSpace(url))
        {
            Assert.Skip("AGENTSCRIPT_TEST_ARANGO_URL is not set: no ArangoDB server to test against");
        }
        var options = new ArangoOptions
        {
            Url = new Uri(url),
            Username = Environment.GetEnvironmentVariable("ARANGO_USERNAME") ?? "root",
            Password = Environment.GetEnvironmentVariable("ARANGO_PASSWORD") ?? "openSesame",
            Database = s_database,
        };
        return Task.FromResult<IAgentLogStore>(new ArangoLogStore(options, retentionDays: 30));
    }

    protected override string NativeSelectMessagesOfRun => "FOR e IN log_events FILTER e.execution_id == @id SORT e.timestamp RETURN { message: e.message }";
    protected override string NativeWrite => "FOR e IN log_events REMOVE e IN log_events";
    protected override string NativeMalformed => "FOR e IN log_events RETRUN e";
}
