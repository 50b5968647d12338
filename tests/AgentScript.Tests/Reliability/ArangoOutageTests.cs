using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using AgentScript.Model;
using AgentScript.Sink;
using AgentScript.Storage;
using AgentScript.Storage.Arango;
using AgentScript.Tests.Arango;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Reliability;

/// <summary>
/// ArangoDB answering 503 or refusing connections in the middle of a run (a fake server at the HTTP level): every
/// document reaches the server after it returns, with inserts that the server treats as idempotent, in order.
/// </summary>
public sealed class ArangoOutageTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A fake server: the recorded-answer router, plus a document table keyed by collection and _key.</summary>
    private sealed class FakeServer
    {
        public volatile string? Failure; // null: up; "503" or "refused"
        public readonly ConcurrentDictionary<(string Collection, string Key), int> Received = new();
        public readonly ConcurrentQueue<string> FirstArrivalOrder = new();
        public readonly ConcurrentBag<string> InsertQueries = [];
        public readonly ConcurrentBag<string> RunWrites = [];
        private readonly Func<SentRequest, HttpResponseMessage?> _router = ArangoStoreRouter.Create();

        public HttpResponseMessage? Answer(SentRequest sent)
        {
            switch (Failure)
            {
                case "503":
                    return Fixture.Respond(503, JsonNode.Parse("""{"error":true,"code":503,"errorNum":503,"errorMessage":"service unavailable"}"""));
                case "refused":
                    throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (arango.test:8529)");
            }
            if (sent.Method == "POST" && sent.Path.Contains("/_api/document/", StringComparison.Ordinal))
            {
                var collection = sent.Path[(sent.Path.LastIndexOf('/') + 1)..];
                InsertQueries.Add(string.Join('&', sent.Query.Select(q => q.Key + "=" + q.Value)));
                foreach (var doc in sent.Json!.AsArray())
                {
                    var key = doc!["_key"]!.GetValue<string>();
                    if (Received.AddOrUpdate((collection, key), 1, (_, n) => n + 1) == 1 && collection == "log_events")
                    {
                        FirstArrivalOrder.Enqueue(doc["message"]!.GetValue<string>());
                    }
                }
            }
            if (sent.Path.EndsWith("/_api/cursor", StringComparison.Ordinal) && sent.Json!["bindVars"]?["key"] is { } runKey)
            {
                RunWrites.Add(runKey.GetValue<string>());
            }
            return _router(sent);
        }
    }

    [Theory]
    [InlineData("503")]
    [InlineData("refused")]
    public async Task Arango_outage_mid_run_delivers_every_document_after_it_returns_in_order(string failure)
    {
        ArangoFixtures.RequireFolder();
        var server = new FakeServer();
        var handler = new ReplayHandler(server.Answer);
        var store = new ArangoLogStore(ArangoTestClients.Options("script_logs"), 30, handler, ArangoTestClients.Retry([]));
        var data = new StoreTestData("arango");
        var id = data.NewExecutionId();
        var options = new WritePipelineOptions
        {
            BatchSize = 50,
            FlushInterval = TimeSpan.FromMilliseconds(50),
            BufferDirectory = Path.Combine(_dir.Path, "buffer"),
            MinRetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(100),
            Diagnostics = TextWriter.Null,
        };
        var learnings = new List<string>();
        await using (var pipeline = new StoreWritePipeline(store, options, ownsStore: true))
        {
            Assert.Null(await pipeline.InitializeStoreAsync(Ct));
            pipeline.Enqueue(new RunStartWrite(data.Run(id)));
            var seq = 0;
            void Events(int n)
            {
                for (var i = 0; i < n; i++)
                {
                    pipeline.Enqueue(new EventWrite(data.Event(id, "event " + seq++.ToString("D5", System.Globalization.CultureInfo.InvariantCulture))));
                }
            }
            Events(300);
            Assert.True(await pipeline.FlushAsync(Ct));

            server.Failure = failure;
            Events(400);
            var learning = data.Learning(id, "learned during the outage");
            learnings.Add(learning.LearningId);
            pipeline.Enqueue(new LearningWrite(learning));
            pipeline.Enqueue(new RelationWrite(new LogRelation { RelationId = EventIds.New(), From = id, To = "run:x", Type = "caused_by", CreatedAt = DateTimeOffset.UtcNow }));
            Assert.False(await pipeline.FlushAsync(Ct));
            Assert.True(pipeline.Counters.Buffered >= 402);

            server.Failure = null;
            Events(300);
            pipeline.Enqueue(new RunEndWrite(data.End(id, RunStatus.Success)));
            Assert.True(await pipeline.FlushAsync(Ct));
            Assert.Equal(0, pipeline.Counters.Dropped);
            Assert.Equal(0, pipeline.Counters.DeadLettered);
        }

        var events = server.Received.Keys.Where(k => k.Collection == "log_events").ToList();
        Assert.Equal(1000, events.Count);
        Assert.Equal(learnings, server.Received.Keys.Where(k => k.Collection == "agent_learnings").Select(k => k.Key));
        Assert.Single(server.Received.Keys, k => k.Collection == "log_relations");
        // Re-sent documents (a replay after a lost answer) are harmless: every insert asks the server to ignore
        // a document whose _key exists.
        Assert.All(server.InsertQueries, q => Assert.Contains("overwriteMode=ignore", q));
        var order = server.FirstArrivalOrder.ToList();
        Assert.Equal(order.Order(StringComparer.Ordinal), order);
        Assert.Contains(id, server.RunWrites);
    }
}
