using AgentScript.Configuration;
using AgentScript.Sink;
using AgentScript.Storage;
using AgentScript.Storage.Arango;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Arango;
using AgentScript.Tests.Sink;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Reliability;

/// <summary>Files readable by the owner only; passwords never in messages, exceptions or descriptions.</summary>
public sealed class SecretsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // skipped there: Unix mode bits only
    public async Task The_sqlite_file_its_journal_and_every_buffer_file_are_owner_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix mode bits only");
        await using var env = new SinkTestEnvironment();
        {
            // With the usual umask (022) files are created readable by others unless the code says otherwise.
            env.Store.Down = true;
            await using (var pipeline = new StoreWritePipeline(env.Store, env.PipelineOptions()))
            {
                pipeline.Enqueue(new EventWrite(new StoreTestData().Event("run_x", "buffered while down")));
                pipeline.Enqueue(new EventWrite(new StoreTestData().Event("run_x", "a " + FailingStore.PoisonMarker)));
                Assert.False(await pipeline.FlushAsync(Ct));
                env.Store.Down = false;
                Assert.True(await pipeline.FlushAsync(Ct));
                pipeline.Enqueue(new EventWrite(new StoreTestData().Event("run_x", "stored")));
                Assert.True(await pipeline.FlushAsync(Ct));
            }
            await env.Sqlite.InitializeAsync(Ct);
        }
        var files = Directory.GetFiles(env.Root, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("agentlog.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(DurableBuffer.DeadLetterFileName, StringComparison.Ordinal));
        Assert.All(files, f => Assert.True((File.GetUnixFileMode(f) & GroupOrOther) == 0, $"{Path.GetFileName(f)} is {File.GetUnixFileMode(f)}"));
        Assert.True((File.GetUnixFileMode(env.BufferDirectory) & GroupOrOther) == 0, $"buffer folder is {File.GetUnixFileMode(env.BufferDirectory)}");
    }

    [Fact]
    public async Task The_arango_password_never_appears_in_descriptions_or_unavailable_errors()
    {
        var options = AgentScriptConfiguration.Load(Path.GetTempPath(), new Dictionary<string, string?>
        {
            ["ARANGO_URL"] = "http://arango.test:8529", ["ARANGO_USERNAME"] = "agent", ["ARANGO_PASSWORD"] = ArangoTestClients.Password,
            ["LOG_BUFFER_DIR"] = Path.Combine(Path.GetTempPath(), "unused"), ["HOME"] = Path.GetTempPath(),
        });
        Assert.DoesNotContain(ArangoTestClients.Password, options.DescribeStore());
        Assert.DoesNotContain(ArangoTestClients.Password, options.ToString());
        Assert.DoesNotContain(ArangoTestClients.Password, options.Arango.ToString());

        var handler = new ReplayHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (arango.test:8529)"));
        await using var store = new ArangoLogStore(ArangoTestClients.Options("script_logs"), 30, handler, ArangoTestClients.Retry([]));
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(Ct));
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            Assert.DoesNotContain(ArangoTestClients.Password, x.Message);
            Assert.DoesNotContain(ArangoTestClients.Password, x.ToString());
        }
        Assert.All(handler.Requests, r => Assert.DoesNotContain(ArangoTestClients.Password, r.Path));
    }
}
