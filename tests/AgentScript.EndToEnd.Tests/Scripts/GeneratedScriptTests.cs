using AgentScript.Tests.Shared;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AgentScript.EndToEnd.Tests.Infrastructure;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage.Sqlite;

namespace AgentScript.EndToEnd.Tests.Scripts;

/// <summary>
/// Runs a real script built with the generator in each mode, then reads what it recorded through the store's query
/// API: the run record, the execution id on every event, the final response and the traced spans' nesting.
/// </summary>
public sealed class GeneratedScriptTests(GeneratedScriptFixture script) : IClassFixture<GeneratedScriptFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Working_is_the_default_mode_and_records_run_response_and_nested_spans()
    {
        var (result, store) = await RunAsync();
        Assert.True(result.ExitCode == 0, result.Describe());

        // stdout is exactly the final response.
        var line = Assert.Single(result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var response = JsonDocument.Parse(line);
        Assert.Equal("working", Get(response, "Mode").GetString());
        Assert.Equal(20 + 30 + 4, Get(response, "Value").GetInt32());
        var executionId = Get(response, "ExecutionId").GetString()!;
        Assert.Matches($"^{GeneratedScriptFixture.ScriptName}_\\d{{8}}_\\d{{6}}_[0-9a-f]{{8}}$", executionId);

        await using (store)
        {
            var ct = TestContext.Current.CancellationToken;
            var run = await store.GetRunAsync(executionId, ct);
            Assert.NotNull(run);
            Assert.Equal(RunStatus.Success, run.Status);
            Assert.Equal("working", run.Mode);
            Assert.Equal(GeneratedScriptFixture.ScriptName, run.ScriptName);
            Assert.NotNull(run.EndTime);
            Assert.True(JsonElement.DeepEquals(response.RootElement, JsonDocument.Parse(run.FinalResponseJson!).RootElement));

            var latest = await store.GetLatestResponseAsync(GeneratedScriptFixture.ScriptName, cancellationToken: ct);
            Assert.Equal(executionId, latest?.ExecutionId);

            // Every event of the process belongs to the run — including the one logged on the thread pool.
            var events = await EventsAsync(store, new EventFilter());
            Assert.NotEmpty(events);
            Assert.All(events, e => Assert.Equal(executionId, e.ExecutionId));
            Assert.Contains(events, e => e.Message == "from the thread pool");
            // The [AgentScriptLogging] hook was wired into the logger configuration by the generated Main.
            Assert.All(events, e => Assert.Contains("\"HookApplied\":\"yes\"", e.ExtraJson ?? "", StringComparison.Ordinal));

            // Spans: outer → (inner-step, inner-step, Work.Square); their events nest the same way.
            var starts = events.Where(e => e.Category == LogCategories.SpanStart).ToList();
            var ends = events.Where(e => e.Category == LogCategories.SpanEnd).ToList();
            Assert.Equal(["Work.OuterAsync", "Work.Square", "inner-step", "inner-step"], starts.Select(e => e.FunctionName!).Order(StringComparer.Ordinal));
            Assert.Equal(starts.Count, ends.Count);
            var outer = starts.Single(e => e.FunctionName == "Work.OuterAsync");
            Assert.Null(outer.ParentSpanId);
            Assert.False(string.IsNullOrEmpty(outer.SpanId));
            var children = starts.Where(e => e != outer).ToList();
            Assert.All(children, c => Assert.Equal(outer.SpanId, c.ParentSpanId));
            Assert.Equal(3, children.Select(c => c.SpanId).Distinct().Count());

            var innerLogs = events.Where(e => e.MessageTemplate == "inner {X}").ToList();
            Assert.Equal(2, innerLogs.Count);
            Assert.All(innerLogs, e =>
            {
                Assert.Equal("inner-step", e.FunctionName);
                Assert.Equal(outer.SpanId, e.ParentSpanId);
                Assert.Contains(children, c => c.SpanId == e.SpanId);
            });
            Assert.Equal(outer.SpanId, events.Single(e => e.Message == "outer begins").SpanId);
            Assert.Null(events.Single(e => e.Message == "working starts").SpanId);

            foreach (var end in ends)
            {
                using var extra = JsonDocument.Parse(end.ExtraJson ?? "{}");
                Assert.True(extra.RootElement.TryGetProperty("duration_ms", out var duration), end.ExtraJson);
                Assert.True(duration.GetDouble() >= 0);
                Assert.Equal("success", extra.RootElement.GetProperty("outcome").GetString());
            }
            Assert.True(ends.Single(e => e.SpanId == outer.SpanId).Timestamp >= ends.Where(e => e.SpanId != outer.SpanId).Max(e => e.Timestamp));
        }
    }

    [Fact]
    public async Task Debug_mode_receives_the_remaining_arguments()
    {
        var (result, store) = await RunAsync("debug", "alpha", "beta gamma");
        await using (store)
        {
            Assert.True(result.ExitCode == 0, result.Describe());
            using var response = JsonDocument.Parse(result.StdOut);
            Assert.Equal("debug", Get(response, "Mode").GetString());
            Assert.Equal(49, Get(response, "Value").GetInt32());
            Assert.Equal(["alpha", "beta gamma"], Get(response, "Arguments").EnumerateArray().Select(a => a.GetString()!));

            var executionId = Get(response, "ExecutionId").GetString()!;
            var run = await store.GetRunAsync(executionId, TestContext.Current.CancellationToken);
            Assert.Equal("debug", run?.Mode);
            var square = (await EventsAsync(store, new EventFilter { ExecutionId = executionId, Category = LogCategories.SpanStart })).Single();
            Assert.Equal("Work.Square", square.FunctionName);
            Assert.Null(square.ParentSpanId);
        }
    }

    [Fact]
    public async Task Returning_false_fails_the_run_with_exit_code_1()
    {
        var (result, store) = await RunAsync("fail");
        await using (store)
        {
            Assert.True(result.ExitCode == 1, result.Describe());
            Assert.Equal("false", result.StdOut.Trim());
            var run = Assert.Single(await store.ListRunsAsync(new RunQuery(), TestContext.Current.CancellationToken));
            Assert.Equal(RunStatus.Failed, run.Status);
            Assert.Equal("fail", run.Mode);
        }
    }

    [Fact]
    public async Task An_exception_in_a_traced_call_is_recorded_on_the_span_and_fails_the_run()
    {
        var (result, store) = await RunAsync("throw");
        await using (store)
        {
            Assert.True(result.ExitCode == 1, result.Describe());
            Assert.Equal("", result.StdOut.Trim());
            Assert.DoesNotContain("   at ", result.StdErr.Split('\n').FirstOrDefault() ?? "", StringComparison.Ordinal);

            var run = Assert.Single(await store.ListRunsAsync(new RunQuery(), TestContext.Current.CancellationToken));
            Assert.Equal(RunStatus.Failed, run.Status);
            Assert.Contains("InvalidOperationException", run.Error?.Type, StringComparison.Ordinal);
            Assert.Equal("exploded on purpose", run.Error?.Message);

            var end = (await EventsAsync(store, new EventFilter { ExecutionId = run.ExecutionId, Category = LogCategories.SpanEnd })).Single();
            Assert.Equal("Work.Explode", end.FunctionName);
            Assert.Equal(LogLevels.Error, end.Level);
            Assert.Contains("InvalidOperationException", end.Exception?.Type, StringComparison.Ordinal);
            using var extra = JsonDocument.Parse(end.ExtraJson!);
            Assert.Equal("failed", extra.RootElement.GetProperty("outcome").GetString());
        }
    }

    [Fact]
    public async Task Unknown_mode_is_a_usage_error_naming_the_modes()
    {
        var (result, store) = await RunAsync("nonsense");
        await using (store)
        {
            Assert.True(result.ExitCode == 2, result.Describe());
            Assert.Equal("", result.StdOut);
            foreach (var mode in new[] { "working", "debug", "fail", "throw", "wait" })
                Assert.Contains(mode, result.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_lists_the_modes_with_their_descriptions()
    {
        var (result, store) = await RunAsync("--help");
        await using (store)
        {
            Assert.True(result.ExitCode == 0, result.Describe());
            Assert.Contains("Debug entry for the end-to-end tests", result.StdOut, StringComparison.Ordinal);
            Assert.Contains("Working entry with nested traced calls", result.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Ctrl_c_cancels_the_run_with_exit_code_130()
    {
        if (OperatingSystem.IsWindows())
            Assert.Skip("Sending SIGINT to a child process needs a POSIX system.");
        if (InheritedSignals.SigIntIgnored())
        {
            Assert.Skip(InheritedSignals.SigIntIgnoredReason);
        }

        var storePath = NewStorePath();
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = script.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script.Dll);
        psi.ArgumentList.Add("wait");
        foreach (var (key, value) in script.Environment(storePath))
        {
            if (value is null)
                psi.Environment.Remove(key);
            else
                psi.Environment[key] = value;
        }

        using var process = Process.Start(psi)!;
        var stderr = new StringBuilder();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (stderr)
                stderr.AppendLine(e.Data);
            if (e.Data.Contains("waiting for cancellation", StringComparison.Ordinal))
                waiting.TrySetResult();
        };
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await waiting.Task.WaitAsync(RunTimeout, TestContext.Current.CancellationToken);
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            try
            {
                await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(RunTimeout, TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                // Say what the script did after the signal, so a hang can be told from a lost signal.
                string seen;
                lock (stderr)
                    seen = stderr.ToString();
                Assert.Fail($"the script had not exited {RunTimeout.TotalSeconds:0} s after SIGINT (exited: {process.HasExited}); its stderr:\n{seen}");
            }
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{stderr}");
        Assert.Equal("", (await stdout).Trim());
        await using var store = new SqliteLogStore(storePath);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        var run = Assert.Single(await store.ListRunsAsync(new RunQuery(), TestContext.Current.CancellationToken));
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal("wait", run.Mode);
    }

    private async Task<(ProcessResult Result, SqliteLogStore Store)> RunAsync(params string[] args)
    {
        var storePath = NewStorePath();
        var result = await ProcessRunner.RunAsync("dotnet", [script.Dll, .. args], script.Directory,
            script.Environment(storePath), RunTimeout, TestContext.Current.CancellationToken);
        var store = new SqliteLogStore(storePath);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return (result, store);
    }

    private string NewStorePath()
    {
        var directory = Path.Combine(script.Directory, "runs", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, "agentlog.db");
    }

    private static async Task<List<LogEventRecord>> EventsAsync(SqliteLogStore store, EventFilter filter)
    {
        var list = new List<LogEventRecord>();
        await foreach (var e in store.StreamEventsAsync(filter, TestContext.Current.CancellationToken))
            list.Add(e.Event);
        return list;
    }

    private static JsonElement Get(JsonDocument document, string name) =>
        document.RootElement.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}
