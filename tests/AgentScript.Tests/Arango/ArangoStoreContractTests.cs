using AgentScript.Storage;
using AgentScript.Storage.Arango;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Arango;

/// <summary>
/// The store contract against a live ArangoDB 3.12 server named by <c>AGENTSCRIPT_TEST_ARANGO_URL</c>
/// (user/password from <c>ARANGO_USERNAME</c>/<c>ARANGO_PASSWORD</c>, default root/openSesame), in a database of its
/// own that is dropped afterwards (<see cref="ArangoLiveDatabase"/>). Skipped when the variable is not set.
/// </summary>
public sealed class ArangoStoreContractTests(ArangoLiveDatabase live) : StoreContractTests
{
    protected override Task<IAgentLogStore> CreateStoreAsync()
    {
        if (live.Options is null)
        {
            Assert.Skip("AGENTSCRIPT_TEST_ARANGO_URL is not set: no ArangoDB server to test against");
        }
        // The view commits about once a second; the tests search right after writing, so they ask it to commit first
        // (waitForSync, which the documentation reserves for tests and the product never sends).
        return Task.FromResult<IAgentLogStore>(new ArangoLogStore(live.Options, 30, handler: null, retry: null) { WaitForViewSync = true });
    }

    protected override string NativeSelectMessagesOfRun => "FOR e IN log_events FILTER e.execution_id == @id SORT e.timestamp RETURN { message: e.message }";
    protected override string NativeWrite => "FOR e IN log_events REMOVE e IN log_events";
    protected override string NativeMalformed => "FOR e IN log_events RETRUN e";
}
