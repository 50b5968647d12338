using System.Text.Json.Nodes;
using AgentScript.Storage.Arango;

namespace AgentScript.Tests.Arango;

/// <summary>A changed LOG_RETENTION_DAYS replaces the collection's one TTL index.</summary>
public sealed class ArangoTtlIndexTests
{
    [Fact]
    public async Task Changed_retention_replaces_the_ttl_index()
    {
        ArangoFixtures.RequireFolder();
        var router = ArangoStoreRouter.Create();
        var ttlPosts = 0;
        var handler = new ReplayHandler(s =>
        {
            if (s.Path.EndsWith("/_api/index", StringComparison.Ordinal) && s.Method == "POST" && s.Json!["type"]!.GetValue<string>() == "ttl" && ttlPosts++ == 0)
            {
                // Hand-made: the server refuses a second TTL index with other settings.
                return Fixture.Respond(400, JsonNode.Parse("""{"code":400,"error":true,"errorNum":10,"errorMessage":"there can only be one ttl index per collection"}"""));
            }
            if (s.Path.EndsWith("/_api/index", StringComparison.Ordinal) && s.Method == "GET")
            {
                // Hand-made list: the recorded TTL index answer as the existing one.
                var ttl = ArangoFixtures.Load("index-create-ttl.json").ResponseBody!.DeepClone();
                return Fixture.Respond(200, new JsonObject { ["error"] = false, ["code"] = 200, ["indexes"] = new JsonArray(ttl) });
            }
            if (s.Method == "DELETE" && s.Path.Contains("/_api/index/", StringComparison.Ordinal))
            {
                return Fixture.Respond(200, JsonNode.Parse("""{"error":false,"code":200,"id":"sessions/74081"}"""));
            }
            return router(s);
        });
        await using var store = new ArangoLogStore(ArangoTestClients.Options("script_logs"), 90, handler, ArangoTestClients.Retry([]));
        await store.InitializeAsync(TestContext.Current.CancellationToken);

        var ttlRequests = handler.Requests.Where(r => r.Path.Contains("/_api/index", StringComparison.Ordinal) && (r.Method != "POST" || r.Json!["type"]!.GetValue<string>() == "ttl")).ToList();
        Assert.Equal(["POST", "GET", "DELETE", "POST"], ttlRequests.Select(r => r.Method));
        Assert.Equal("/_db/script_logs/_api/index/sessions/74081", ttlRequests[2].Path);
        Assert.Equal(90 * 86_400, ttlRequests[3].Json!["expireAfter"]!.GetValue<long>());
    }
}
