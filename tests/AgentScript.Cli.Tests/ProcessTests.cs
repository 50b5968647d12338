using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AgentScript.Model;
using AgentScript.Storage;
using AgentScript.Cli.Tests.Support;

namespace AgentScript.Cli.Tests;

/// <summary>The real tool as a child process (<c>dotnet agentlog.dll …</c>), one test per command group.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task Setup_group_init_and_doctor()
    {
        await using var temp = new TempStore();
        temp.Environment["ARANGO_PASSWORD"] = "Pr0cess-Secret";
        var init = (await temp.RunProcessAsync("init", "--json")).Expect(0).Json();
        Assert.True(init.GetProperty("created").GetBoolean());
        var doctor = (await temp.RunProcessAsync("doctor")).Expect(0);
        Assert.Contains("Reachable: sqlite", doctor.Stdout);
        Assert.DoesNotContain("Pr0cess-Secret", doctor.Stdout + doctor.Stderr);
        // Not a terminal: no ANSI escape codes in the table output.
        Assert.DoesNotContain("\u001b[", doctor.Stdout);
    }

    [Fact]
    public async Task Read_group_runs_show_search_errors()
    {
        await using var s = await SeededStore.CreateAsync();
        var runs = (await s.Store.RunProcessAsync("runs", "--json")).Expect(0).Json();
        Assert.Equal(3, runs.GetProperty("count").GetInt32());
        var show = (await s.Store.RunProcessAsync("show", s.Ok.ExecutionId, "--json")).Expect(0).Json();
        Assert.Equal("success", show.GetProperty("run").GetProperty("status").GetString());
        var search = (await s.Store.RunProcessAsync("search", "zebracorn", "--json")).Expect(0).Json();
        Assert.Equal(1, search.GetProperty("count").GetInt32());
        var missing = (await s.Store.RunProcessAsync("errors", "nope_20200101_000000_00000000")).Expect(1);
        Assert.Contains("No run with execution id", missing.Stderr);
        var latest = (await s.Store.RunProcessAsync("latest", "hello_agent")).Expect(0).Json();
        Assert.True(latest.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Write_group_query_learn_prune_errors()
    {
        await using var s = await SeededStore.CreateAsync();
        var malformed = (await s.Store.RunProcessAsync("query", "SELEC nothing")).Expect(2);
        Assert.Contains("syntax error", malformed.Stderr);
        Assert.DoesNotContain("   at ", malformed.Stderr);
        var learn = (await s.Store.RunProcessAsync("learn", "Process-level learning", "--json")).Expect(0).Json();
        Assert.Equal(32, learn.GetProperty("learning_id").GetString()!.Length);
        var bad = (await s.Store.RunProcessAsync("prune", "--older-than", "thirty days")).Expect(2);
        Assert.Contains("Invalid duration 'thirty days' for --older-than", bad.Stderr);
        var dry = (await s.Store.RunProcessAsync("prune", "--execution-id", s.Other.ExecutionId, "--dry-run", "--json")).Expect(0).Json();
        Assert.Equal(s.Other.Events.Count, dry.GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task Export_group_export_and_tail()
    {
        await using var s = await SeededStore.CreateAsync();
        var r = (await s.Store.RunProcessAsync("export", "--execution-id", s.Ok.ExecutionId)).Expect(0);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(s.Ok.Events.Count, lines.Length);
        Assert.All(lines, l => JsonDocument.Parse(l));
        Assert.Equal("", r.Stderr); // no progress noise when stderr is not a terminal
        var tail = (await s.Store.RunProcessAsync("tail", "-n", "2", "--json")).Expect(0);
        Assert.Equal(2, tail.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Report_group_report_graph_stats()
    {
        await using var s = await SeededStore.CreateAsync();
        var report = (await s.Store.RunProcessAsync("report", s.Ok.ExecutionId, "--json")).Expect(0).Json();
        var output = report.GetProperty("output").GetString()!;
        Assert.Equal(Path.Combine(s.Store.Directory, s.Ok.ExecutionId + ".html"), output); // default name, in the working folder
        Assert.Contains(s.Ok.Error.EventId, await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken));
        var dot = (await s.Store.RunProcessAsync("graph", s.Ok.ExecutionId, "--format", "dot")).Expect(0);
        Assert.StartsWith("digraph", dot.Stdout);
        var stats = (await s.Store.RunProcessAsync("stats", "--json")).Expect(0).Json();
        Assert.Equal(2, stats.GetProperty("scripts").GetArrayLength());
    }

    [Fact]
    public async Task Tail_follow_in_a_process_ends_cleanly_on_ctrl_c()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("sends SIGINT with kill(1); Linux only");
        }
        if (AgentScript.Tests.Shared.InheritedSignals.SigIntIgnored())
        {
            Assert.Skip(AgentScript.Tests.Shared.InheritedSignals.SigIntIgnoredReason);
        }
        await using var s = await SeededStore.CreateAsync();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = s.Store.Directory };
        foreach (var a in new[] { ProcessRunner.ToolPath, "tail", "--follow", "-n", "0", "--interval", "100ms", "--json" })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Clear();
        foreach (var (k, v) in s.Store.Environment)
        {
            if (v is not null)
            {
                psi.Environment[k] = v;
            }
        }
        using var process = Process.Start(psi)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            // Keep writing until the follower shows one of our events: then it is certainly following.
            await using var store = await s.Store.OpenAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            string? seen = null;
            while (seen is null && DateTime.UtcNow < deadline && !process.HasExited)
            {
                var e = new LogEventRecord
                {
                    EventId = EventIds.New(), Timestamp = DateTimeOffset.UtcNow, Level = LogLevels.Info, Category = LogLevels.Info,
                    Message = "live event", ExecutionId = s.Ok.ExecutionId, ScriptName = "hello_agent",
                };
                await store.WriteAsync([new EventWrite(e)], TestContext.Current.CancellationToken);
                await Task.Delay(200, TestContext.Current.CancellationToken);
                lock (output)
                {
                    seen = output.ToString().Contains(e.EventId) ? e.EventId : null;
                }
            }
            Assert.NotNull(seen);

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.DoesNotContain("   at ", await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Unreachable_store_in_a_process_exits_3()
    {
        await using var temp = new TempStore();
        var file = Path.Combine(temp.Directory, "plain-file");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        temp.Environment["AGENTSCRIPT_STORE"] = $"sqlite:{file}/agentlog.db";
        var r = (await temp.RunProcessAsync("runs")).Expect(3);
        Assert.StartsWith("agentlog: Store unavailable:", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
