using AgentScript.Tests.Shared;
using System.Text.Json;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage.Sqlite;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Hosting;

/// <summary>The test script as a real process: stdout, exit codes, signals, two writers on one store.</summary>
public sealed class ScriptProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _dir = new();
    private string Db => Path.Combine(_dir.Path, "agentlog.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private async Task<List<ScriptRun>> RunsAsync()
    {
        await using var store = new SqliteLogStore(Db);
        await store.InitializeAsync(Ct);
        return [.. await store.ListRunsAsync(new RunQuery { ScriptName = "test_script", Limit = 100 }, Ct)];
    }

    private async Task<List<LogEventRecord>> EventsAsync(string executionId)
    {
        await using var store = new SqliteLogStore(Db);
        await store.InitializeAsync(Ct);
        var list = new List<LogEventRecord>();
        await foreach (var e in store.StreamEventsAsync(new EventFilter { ExecutionId = executionId }, Ct))
        {
            list.Add(e.Event);
        }
        return list;
    }

    [Fact]
    public async Task Stdout_carries_exactly_the_json_and_logs_go_to_stderr()
    {
        using var script = ScriptProcess.Start(_dir.Path, Db);
        Assert.Equal(ExitCodes.Success, await script.WaitForExitAsync(Timeout));

        Assert.Equal("{\"status\":\"ok\",\"sum\":6,\"numbers\":[1,2,3]}\n", script.Stdout);
        Assert.Contains("Verified the sum 6", script.Stderr);
        var run = Assert.Single(await RunsAsync());
        Assert.Equal(RunStatus.Success, run.Status);
        Assert.NotEqual(Environment.ProcessId, run.Pid);
        Assert.Equal("{\"status\":\"ok\",\"sum\":6,\"numbers\":[1,2,3]}", run.FinalResponseJson);
    }

    [Theory]
    [InlineData("fail", ExitCodes.Failed, "failed")]
    [InlineData("false", ExitCodes.Failed, "failed")]
    [InlineData("nope", ExitCodes.Usage, null)]
    public async Task Exit_codes_follow_the_outcome(string mode, int expected, string? status)
    {
        using var script = ScriptProcess.Start(_dir.Path, Db, mode);
        Assert.Equal(expected, await script.WaitForExitAsync(Timeout));
        var runs = await RunsAsync();
        if (status is null)
        {
            Assert.Empty(runs);
            Assert.Contains("unknown mode 'nope'", script.Stderr);
        }
        else
        {
            Assert.Equal(status, Assert.Single(runs).Status.ToName());
        }
    }

    [Theory]
    [InlineData(ScriptProcess.SIGINT)]
    [InlineData(ScriptProcess.SIGTERM)]
    public async Task A_signal_cancels_the_entry_and_ends_the_run_cancelled_with_130(int signal)
    {
        if (signal == ScriptProcess.SIGINT && InheritedSignals.SigIntIgnored())
        {
            Assert.Skip(InheritedSignals.SigIntIgnoredReason);
        }
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("POSIX signals are not available on Windows.");
        }
        using var script = ScriptProcess.Start(_dir.Path, Db, "wait");
        await script.WaitForStderrAsync("WAITING_FOR_CANCEL", Timeout);
        script.Signal(signal);

        Assert.Equal(ExitCodes.Cancelled, await script.WaitForExitAsync(Timeout));
        var run = Assert.Single(await RunsAsync());
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.NotNull(run.EndTime);
        Assert.Contains(await EventsAsync(run.ExecutionId), e => e.Message.Contains("Cancellation requested", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_entry_that_finishes_after_Ctrl_C_keeps_its_response_and_is_cancelled()
    {
        if (InheritedSignals.SigIntIgnored())
        {
            Assert.Skip(InheritedSignals.SigIntIgnoredReason);
        }
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("POSIX signals are not available on Windows.");
        }
        using var script = ScriptProcess.Start(_dir.Path, Db, "wait-finish");
        await script.WaitForStderrAsync("WAITING_FOR_CANCEL", Timeout);
        script.Signal(ScriptProcess.SIGINT);

        Assert.Equal(ExitCodes.Cancelled, await script.WaitForExitAsync(Timeout));
        Assert.Equal("{\"stopped\":true}\n", script.Stdout);
        var run = Assert.Single(await RunsAsync());
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal("{\"stopped\":true}", run.FinalResponseJson);
    }

    [Fact]
    public async Task Two_processes_write_one_store_at_once_and_lose_nothing()
    {
        const int n = 400;
        using var a = ScriptProcess.Start(_dir.Path, Db, "log", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var b = ScriptProcess.Start(_dir.Path, Db, "log", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ExitCodes.Success, await a.WaitForExitAsync(Timeout));
        Assert.Equal(ExitCodes.Success, await b.WaitForExitAsync(Timeout));
        Assert.Equal($"{n}\n", a.Stdout);
        Assert.Equal($"{n}\n", b.Stdout);

        var runs = await RunsAsync();
        Assert.Equal(2, runs.Count);
        Assert.Equal(new[] { a.Pid, b.Pid }.Order(), runs.Select(r => r.Pid).Order());
        foreach (var run in runs)
        {
            Assert.Equal(RunStatus.Success, run.Status);
            var events = await EventsAsync(run.ExecutionId);
            Assert.Equal(run.MessagesLogged, events.Count);
            var indexes = events.Where(e => e.MessageTemplate == "event {Index} of {Total} from {Pid}")
                .Select(e => JsonDocument.Parse(e.ExtraJson!).RootElement.GetProperty("Index").GetInt32()).Order();
            Assert.Equal(Enumerable.Range(0, n), indexes);
        }
    }

    [Fact]
    public async Task An_unhandled_exception_on_another_thread_ends_the_run_failed()
    {
        using var script = ScriptProcess.Start(_dir.Path, Db, "crash");
        var exit = await script.WaitForExitAsync(Timeout);
        Assert.NotEqual(ExitCodes.Success, exit);
        var run = Assert.Single(await RunsAsync());
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("background thread crashed", run.Error?.Message);
        Assert.Contains(await EventsAsync(run.ExecutionId), e => e.Level == LogLevels.Critical && e.Exception?.Message == "background thread crashed");
    }
}
