using System.Text;
using AgentScript.Cli.Tests.Support;

namespace AgentScript.Cli.Tests;

/// <summary>
/// One secret value planted in every place a value can enter a run (a real script process, the value in the
/// environment as <c>MY_API_TOKEN</c>), then looked for in every output: the script's stdout and stderr, every file
/// under the store's folder (database, WAL, buffer files) and what each agentlog read command prints.
/// </summary>
public sealed class SecretCanaryTests
{
    private const string Canary = "cAnArY-7fQ2xZp9LmW4";

    private static string TestScriptPath => Path.Combine(AppContext.BaseDirectory, "AgentScript.TestScript.dll");

    [Fact]
    public async Task A_planted_secret_appears_in_no_output_file_or_read_command()
    {
        await using var temp = new TempStore();
        var env = new Dictionary<string, string?>(temp.Environment)
        {
            ["MY_API_TOKEN"] = Canary,
            ["LOG_CONSOLE_LEVEL"] = "DEBUG",
        };
        var outputs = new List<(string Where, string Text)>();

        // Arguments become run metadata; the second run ends by throwing (the run's error and the event's exception).
        var ok = await ProcessRunner.RunAsync(["canary", "--token=" + Canary], env, temp.Directory, TimeSpan.FromMinutes(3), TestScriptPath);
        Assert.True(ok.ExitCode == 0, ok.ToString().Replace(Canary, "<canary>", StringComparison.Ordinal));
        var failed = await ProcessRunner.RunAsync(["canary", "throw"], env, temp.Directory, TimeSpan.FromMinutes(3), TestScriptPath);
        Assert.True(failed.ExitCode == 1, failed.ToString().Replace(Canary, "<canary>", StringComparison.Ordinal));
        outputs.Add(("stdout of the run", ok.Stdout));
        outputs.Add(("stderr of the run", ok.Stderr));
        outputs.Add(("stdout of the failed run", failed.Stdout));
        outputs.Add(("stderr of the failed run", failed.Stderr));

        var runs = (await temp.RunAsync("runs", "--json")).Expect(0);
        outputs.Add(("runs", runs.Stdout));
        var ids = runs.Json().GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("execution_id").GetString()!).ToList();
        Assert.Equal(2, ids.Count);
        foreach (var id in ids)
        {
            foreach (var args in new[]
            {
                ["show", id], ["show", id, "--json"], ["errors", id], ["errors", id, "--json"], ["graph", id, "--json"],
                ["export", "--execution-id", id, "--format", "json"], ["export", "--execution-id", id, "--format", "csv"],
                ["latest", "--execution-id", id, "--json"], new[] { "tail", "-n", "100", "--execution-id", id, "--json" },
            })
            {
                outputs.Add((string.Join(' ', args), (await temp.RunAsync(args)).Stdout));
            }
            var report = Path.Combine(temp.Directory, $"report-{id}.html");
            var result = await temp.RunAsync("report", id, "--output", report);
            outputs.Add(("report " + id, result.Stdout + result.Stderr));
        }
        foreach (var args in new[]
        {
            ["search", "Connecting", "--json"], ["search", "planted", "--json"], ["search", "service accepts"],
            ["learnings", "--json"], ["learnings"], ["export", "--runs", "--format", "json"], new[] { "tail", "-n", "200" },
        })
        {
            outputs.Add((string.Join(' ', args), (await temp.RunAsync(args)).Stdout));
        }
        // Every file under the store's folder: the database, its WAL and shared memory, buffer and status files, reports.
        foreach (var file in Directory.GetFiles(temp.Directory, "*", SearchOption.AllDirectories))
        {
            outputs.Add((Path.GetRelativePath(temp.Directory, file), Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken))));
        }

        var leaks = outputs.Where(o => o.Text.Contains(Canary, StringComparison.Ordinal)).Select(o => o.Where).ToList();
        Assert.True(leaks.Count == 0, "The planted secret appears in: " + string.Join(", ", leaks));
        Assert.Contains(outputs, o => o.Where.EndsWith("agentlog.db", StringComparison.Ordinal));
        // The planted values did arrive (redacted), so the search is not vacuous.
        Assert.Contains("\"answer\":42", ok.Stdout, StringComparison.Ordinal);
        Assert.Contains("***", ok.Stdout, StringComparison.Ordinal);
    }
}
