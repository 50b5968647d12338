using AgentScript.Hosting;
using AgentScript.Model;

namespace AgentScript.Tests.Hosting;

// The tests here touch no process-wide state (see StandaloneAgentLogTests for the standalone set-up).
public sealed class AgentLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Relate_requires_a_rationale_and_handles()
    {
        var tooShort = Assert.Throws<ArgumentException>(() => AgentLog.Relate("script_runs/a", "script_runs/b", "CAUSED_BY", "because"));
        Assert.Contains("at least 50 characters", tooShort.Message);
        var rationale = new string('r', 60);
        var badHandle = Assert.Throws<ArgumentException>(() => AgentLog.Relate("run-a", "script_runs/b", "CAUSED_BY", rationale));
        Assert.Contains("log_events/<event_id>", badHandle.Message);
    }

    [Fact]
    public void Progress_outside_a_run_explains_what_to_do()
    {
        var e = Assert.Throws<InvalidOperationException>(() => AgentLog.Progress("x", 1));
        Assert.Contains("StartRun", e.Message);
    }

    [Fact]
    public async Task An_unusable_database_file_does_not_stop_the_script_and_its_writes_are_buffered()
    {
        await using var env = new HostTestEnvironment();
        // A folder where the database file should be: SQLite cannot open it.
        var notAFile = Path.Combine(env.Root, "db-is-a-folder");
        Directory.CreateDirectory(notAFile);
        var options = env.HostOptions() with { Options = env.Options with { SqlitePath = notAFile } };
        var manifest = new ScriptManifest("unusable_db", [new ScriptEntry("working", null, _ => ValueTask.FromResult(EntryResult.From("still ran")))]);

        Assert.Equal(ExitCodes.Success, await ScriptHost.RunAsync([], manifest, options));

        Assert.Equal("\"still ran\"\n", env.Stdout.ToString());
        var stderr = env.Stderr.ToString();
        Assert.Contains("unavailable", stderr);
        Assert.Contains(notAFile, stderr);
        var lines = Directory.GetFiles(env.Options.BufferDirectory, "buffer-*.jsonl").SelectMany(File.ReadAllLines).ToList();
        Assert.Contains(lines, l => l.Contains("\"$w\":\"run_start\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"$w\":\"run_end\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("still ran", StringComparison.Ordinal));
    }
}
