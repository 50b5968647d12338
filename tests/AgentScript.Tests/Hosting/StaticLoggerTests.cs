// Job: the script author's convention — Serilog's static Log inside an entry — reaches the run.
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;
using Serilog;

namespace AgentScript.Tests.Hosting;

/// <summary>
/// Script code may log through Serilog's static <c>Log</c>; the host points it at the run's logger. <c>Log.Logger</c>
/// is one process-wide slot, so this test cannot overlap another host run.
/// </summary>
[Collection(nameof(SerilogStaticLoggerCollection))]
public sealed class StaticLoggerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_in_the_entrys_flow_carry_the_run_and_events_outside_do_not()
    {
        await using var env = new HostTestEnvironment();
        var outside = new TaskCompletionSource();
        Task? outsideTask = null;
        var manifest = new ScriptManifest("host_test", [new ScriptEntry("working", "The working entry.", async ctx =>
        {
            Log.Information("static logger inside");
            await Task.Run(() => Log.Information("static logger on another task"));
            // A task started without the run's flow (no execution context) logs outside the run.
            using (ExecutionContext.SuppressFlow())
            {
                outsideTask = Task.Run(() => Log.Information("outside the run"));
            }
            await outsideTask;
            return EntryResult.None;
        })]);

        Assert.Equal(ExitCodes.Success, await ScriptHost.RunAsync([], manifest, env.HostOptions()));
        Assert.Equal("", env.Stdout.ToString());

        await using var store = await env.OpenStoreAsync();
        var run = Assert.Single(await store.ListRunsAsync(new RunQuery { ScriptName = "host_test" }, Ct));
        var events = new List<LogEventRecord>();
        await foreach (var e in store.StreamEventsAsync(new EventFilter(), Ct))
        {
            events.Add(e.Event);
        }
        Assert.Equal(run.ExecutionId, events.Single(e => e.Message == "static logger inside").ExecutionId);
        Assert.Equal(run.ExecutionId, events.Single(e => e.Message == "static logger on another task").ExecutionId);
        Assert.Null(events.Single(e => e.Message == "outside the run").ExecutionId);
    }
}

/// <summary>Tests that read Serilog's process-wide <c>Log.Logger</c> run alone.</summary>
[CollectionDefinition(nameof(SerilogStaticLoggerCollection), DisableParallelization = true)]
public sealed class SerilogStaticLoggerCollection;
