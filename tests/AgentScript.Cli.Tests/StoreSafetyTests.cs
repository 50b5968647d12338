using System.Diagnostics;
using System.Text.Json;
using AgentScript.Cli.Tests.Support;
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Cli.Tests;

/// <summary>
/// A damaged store, output files, raw-query limits: doctor finds damage and says what to do, output files are
/// all-or-nothing and owner-only, runaway or writing queries are stopped with a clear message.
/// </summary>
public sealed class StoreSafetyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store with <paramref name="events"/> plain events, closed and checkpointed (no -wal left).</summary>
    private static async Task<TempStore> BigStoreAsync(int events)
    {
        var temp = new TempStore();
        (await temp.RunAsync("query", "--write",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count) " +
            "INSERT INTO log_events (event_id, timestamp, level, message, execution_id, script_name, log_category) " +
            "SELECT printf('ev%08d', i), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'INFO', 'message number ' || i || ' with enough text to fill the pages', " +
            "'big_20260101_000000_0000abcd', 'big', 'INFO' FROM n", "--param", $"count={events}")).Expect(0);
        (await temp.RunAsync("query", "--write", "PRAGMA wal_checkpoint(TRUNCATE)")).Expect(0);
        return temp;
    }

    private static void Damage(string path)
    {
        var garbage = new byte[40 * 1024];
        new Random(13).NextBytes(garbage);
        using var f = new FileStream(path, FileMode.Open, FileAccess.Write);
        f.Seek(f.Length / 2, SeekOrigin.Begin);
        f.Write(garbage);
    }

    [Fact]
    public async Task Doctor_finds_a_damaged_store_names_the_file_says_what_to_do_and_exits_4()
    {
        await using var temp = await BigStoreAsync(20_000);
        var clean = (await temp.RunProcessAsync("doctor", "--json")).Expect(0).Json();
        Assert.Equal("ok", clean.GetProperty("integrity").GetProperty("status").GetString());

        Damage(temp.DbPath);
        var human = (await temp.RunProcessAsync("doctor")).Expect(4);
        Assert.Contains("DAMAGED", human.Stdout);
        Assert.Contains(temp.DbPath, human.Stdout);
        Assert.Contains(".recover", human.Stdout);
        Assert.Contains("move", human.Stdout);
        Assert.Contains("damaged", human.Stderr);
        Assert.DoesNotContain("   at ", human.Stderr);

        var json = (await temp.RunProcessAsync("doctor", "--json")).Expect(4).Json();
        Assert.False(json.GetProperty("ok").GetBoolean());
        var integrity = json.GetProperty("integrity");
        Assert.Equal("damaged", integrity.GetProperty("status").GetString());
        Assert.Equal(temp.DbPath, integrity.GetProperty("path").GetString());
        Assert.NotEmpty(integrity.GetProperty("problems").EnumerateArray());
        Assert.NotEmpty(integrity.GetProperty("advice").EnumerateArray());
    }

    [Fact]
    public async Task A_script_writing_to_a_damaged_store_says_so_on_stderr_and_keeps_its_events_in_the_buffer()
    {
        var dll = HelloAgentTests.SampleDll();
        Assert.NotNull(dll); // built by the project reference
        await using var temp = await BigStoreAsync(20_000);
        // Damage spread over the whole file, so the script's inserts meet damaged index pages.
        var garbage = new byte[4096];
        new Random(5).NextBytes(garbage);
        await using (var f = new FileStream(temp.DbPath, FileMode.Open, FileAccess.Write))
        {
            for (long at = 4 * 4096; at < f.Length; at += 256 * 1024)
            {
                f.Seek(at, SeekOrigin.Begin);
                f.Write(garbage);
            }
        }

        var (_, stdout, stderr) = await HelloAgentTests.RunSampleAsync(dll, temp);
        Assert.Contains("not a usable SQLite database", stderr);
        Assert.Contains("durable buffer", stderr);
        Assert.StartsWith("{", stdout.Trim()); // the final response is still printed

        var doctor = (await temp.RunProcessAsync("doctor", "--json")).Expect(4).Json();
        Assert.Equal("damaged", doctor.GetProperty("integrity").GetProperty("status").GetString());
        Assert.True(doctor.GetProperty("buffer").GetProperty("pending_bytes").GetInt64() > 0, "the script's events are not in the buffer");
    }

    [Fact]
    public async Task A_failed_export_leaves_no_partial_file_and_keeps_the_previous_one()
    {
        await using var temp = await BigStoreAsync(20_000);
        Damage(temp.DbPath);
        var target = Path.Combine(temp.Directory, "out.jsonl");
        await File.WriteAllTextAsync(target, "previous export\n", Ct);

        var r = await temp.RunProcessAsync("export", "--output", target);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("agentlog doctor", r.Stderr);
        Assert.Equal("previous export\n", await File.ReadAllTextAsync(target, Ct));
        Assert.Empty(Directory.GetFiles(temp.Directory, "*.tmp"));

        var fresh = Path.Combine(temp.Directory, "fresh.jsonl");
        Assert.NotEqual(0, (await temp.RunProcessAsync("export", "--output", fresh)).ExitCode);
        Assert.False(File.Exists(fresh), "a failed export left a partial file");
    }

    [Fact]
    public async Task Output_files_and_created_data_folders_are_owner_only_under_umask_000()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix permissions");
            return;
        }
        await using var s = await SeededStore.CreateAsync();
        var export = Path.Combine(s.Store.Directory, "events.jsonl");
        File.WriteAllText(export, "old");
        File.SetUnixFileMode(export, (UnixFileMode)0b110_110_110); // an existing world-readable file is replaced
        (await Umask000Async(s.Store, "export", "--output", export)).Expect(0);
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(export));
        Assert.Equal(s.Ok.Events.Count + s.Failed.Events.Count + s.Other.Events.Count, File.ReadAllLines(export).Length);

        var report = Path.Combine(s.Store.Directory, "run.html");
        (await Umask000Async(s.Store, "report", s.Ok.ExecutionId, "--output", report)).Expect(0);
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(report));

        // The default store under a data home that does not exist yet: every folder the product creates is 0700.
        await using var fresh = new TempStore();
        fresh.Environment.Remove("AGENTSCRIPT_STORE");
        fresh.Environment.Remove("LOG_BUFFER_DIR");
        var dataHome = Path.Combine(fresh.Directory, "new", "data");
        fresh.Environment["XDG_DATA_HOME"] = dataHome;
        (await Umask000Async(fresh, "init")).Expect(0);
        var created = new[] { Path.Combine(fresh.Directory, "new"), dataHome, Path.Combine(dataHome, "agentscript") };
        foreach (var d in created)
        {
            Assert.True(File.GetUnixFileMode(d) == (UnixFileMode)0b111_000_000, $"{d} is {File.GetUnixFileMode(d)}");
        }
        foreach (var f in Directory.GetFiles(Path.Combine(dataHome, "agentscript")))
        {
            Assert.True(File.GetUnixFileMode(f) == (UnixFileMode)0b110_000_000, $"{f} is {File.GetUnixFileMode(f)}");
        }
    }

    /// <summary>Runs the real tool through <c>sh -c 'umask 000; exec dotnet agentlog.dll …'</c>.</summary>
    private static async Task<CliResult> Umask000Async(TempStore temp, params string[] args)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = temp.Directory };
        foreach (var a in new[] { "-c", "umask 000; exec dotnet \"$@\"", "sh", ProcessRunner.ToolPath }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Clear();
        foreach (var (k, v) in temp.Environment)
        {
            if (v is not null)
            {
                psi.Environment[k] = v;
            }
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task A_runaway_query_is_stopped_at_its_time_limit_with_how_to_raise_it()
    {
        await using var s = await SeededStore.CreateAsync();
        const string forever = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";
        var watch = Stopwatch.StartNew();
        var r = (await s.RunAsync("query", forever, "--timeout", "1s")).Expect(5);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        Assert.Contains("1.0 s", r.Stderr);
        Assert.Contains("--timeout", r.Stderr);
        Assert.Contains("AGENTLOG_QUERY_TIMEOUT", r.Stderr);

        s.Store.Environment["AGENTLOG_QUERY_TIMEOUT"] = "500ms";
        var json = (await s.RunAsync("query", forever, "--json")).Expect(5).Json();
        Assert.Equal("time_limit", json.GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains("AGENTLOG_QUERY_TIMEOUT", json.GetProperty("error").GetProperty("message").GetString());

        // The store is fine afterwards and ordinary queries run.
        var count = (await s.RunAsync("query", "SELECT count(*) AS n FROM script_runs", "--json")).Expect(0).Json();
        Assert.Equal(3, count.GetProperty("rows")[0].GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task A_read_only_query_refuses_a_writing_pragma_at_once()
    {
        await using var s = await SeededStore.CreateAsync();
        // Another connection holds the file open, as a running script would.
        await using var other = await s.Store.OpenAsync();
        await other.GetRunAsync(s.Ok.ExecutionId, Ct);

        var watch = Stopwatch.StartNew();
        var r = (await s.RunAsync("query", "PRAGMA journal_mode = DELETE")).Expect(2);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"waited {watch.Elapsed} (the busy timeout is 10 s)");
        Assert.Contains("read-only", r.Stderr);
        Assert.Contains("--write", r.Stderr);
        Assert.DoesNotContain("unavailable", r.Stderr, StringComparison.OrdinalIgnoreCase);
        (await s.RunAsync("query", "PRAGMA user_version = 99")).Expect(2);

        var mode = (await s.RunAsync("query", "PRAGMA journal_mode", "--json")).Expect(0).Json();
        Assert.Equal("wal", mode.GetProperty("rows")[0].GetProperty("journal_mode").GetString());
    }

    [Fact]
    public async Task Errors_json_on_an_unknown_run_prints_a_json_error_object()
    {
        await using var s = await SeededStore.CreateAsync();
        var r = (await s.RunAsync("errors", "nope_20200101_000000_00000000", "--json")).Expect(1);
        var error = r.Json().GetProperty("error");
        Assert.Equal(1, error.GetProperty("exit_code").GetInt32());
        Assert.Equal("not_found", error.GetProperty("kind").GetString());
        Assert.Contains("nope_20200101_000000_00000000", error.GetProperty("message").GetString());
        Assert.Contains("No run with execution id", r.Stderr);
    }

    [Fact]
    public async Task Runs_counts_the_events_of_a_run_that_never_wrote_its_counters()
    {
        await using var temp = new TempStore();
        var id = ExecutionIds.Create("abandoned_script", DateTimeOffset.UtcNow.AddMinutes(-5));
        await using (var store = await temp.OpenAsync())
        {
            var writes = new List<StoreWrite>
            {
                new RunStartWrite(new ScriptRun
                {
                    ExecutionId = id, ScriptName = "abandoned_script", Mode = "working", Status = RunStatus.Running,
                    StartTime = DateTimeOffset.UtcNow.AddMinutes(-5), Pid = 999_999, Host = Environment.MachineName,
                }),
            };
            for (var i = 0; i < 1234; i++)
            {
                writes.Add(new EventWrite(new LogEventRecord
                {
                    EventId = EventIds.New(), Timestamp = DateTimeOffset.UtcNow, Level = i % 100 == 0 ? LogLevels.Error : LogLevels.Info,
                    Category = LogLevels.Info, Message = $"event {i}", ExecutionId = id, ScriptName = "abandoned_script",
                }));
            }
            await store.WriteAsync(writes, Ct);
        }
        var json = (await temp.RunAsync("runs", "--json")).Expect(0).Json();
        var run = json.GetProperty("runs")[0];
        Assert.Equal(1234, run.GetProperty("messages_logged").GetInt64());
        var human = (await temp.RunAsync("runs")).Expect(0).Stdout;
        Assert.Contains("1234", human);
    }

    [Fact]
    public async Task Stats_tables_have_no_unnamed_column()
    {
        await using var s = await SeededStore.CreateAsync();
        var stdout = (await s.RunAsync("stats")).Expect(0).Stdout;
        var headers = stdout.Split('\n').Where(l => l.StartsWith('│') && (l.Contains("day") || l.Contains("script"))).ToList();
        Assert.NotEmpty(headers);
        Assert.All(headers, h => Assert.All(h.Trim().Trim('│').Split('│'), cell => Assert.False(string.IsNullOrWhiteSpace(cell), $"empty column in: {h}")));
    }

    [Fact]
    public async Task Error_messages_end_sentences_with_one_full_stop()
    {
        await using var s = await SeededStore.CreateAsync();
        // A hand-changed schema: the store reports SQLite's own message inside its own sentence.
        (await s.RunAsync("query", "--write", "ALTER TABLE script_runs RENAME COLUMN mode TO mode_renamed")).Expect(0);
        var failures = new[]
        {
            await s.RunAsync("runs"),
            await s.RunAsync("query", "SELEC nothing"),
            await s.RunAsync("errors", "nope_20200101_000000_00000000"),
        };
        Assert.All(failures, f =>
        {
            Assert.NotEqual(0, f.ExitCode);
            Assert.DoesNotMatch(@"(?<!\.)\.\.(?!\.)", f.Stderr);
        });
    }

    [Fact]
    public async Task Latest_raw_prints_exactly_the_stored_final_response()
    {
        await using var s = await SeededStore.CreateAsync();
        var r = (await s.RunAsync("latest", "hello_agent", "--raw")).Expect(0);
        Assert.Equal(s.Ok.FinalResponseJson + Environment.NewLine, r.Stdout);
        Assert.Equal("", r.Stderr);
    }
}
