using AgentScript.EndToEnd.Tests.Infrastructure;

namespace AgentScript.EndToEnd.Tests;

/// <summary>Shares one seeded store between the command cases.</summary>
public sealed class SeededStoreFixture : IAsyncLifetime
{
    internal SeededStore? Store { get; private set; }

    public async ValueTask InitializeAsync() => Store = await SeededStore.CreateAsync(TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => Store?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// Every `agentlog …` line in a ```bash block of prompts/ runs against a seeded store as a real process of the
/// built agentlog.dll and exits 0, so the command reference and guides cannot drift from the tool. Placeholders
/// (&lt;execution-id&gt;, &lt;script&gt;, …) are replaced by ids of the seeded runs.
/// </summary>
public sealed class PromptCommandTests(SeededStoreFixture fixture) : IClassFixture<SeededStoreFixture>
{
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var (location, _) in ReadCommands())
        {
            data.Add(location);
        }
        return data;
    }

    [Fact]
    public void The_prompts_show_agentlog_commands_of_every_group()
    {
        var commands = ReadCommands().Select(c => MarkdownBlocks.SplitCommandLine(c.Line)[1]).ToHashSet();
        foreach (var expected in new[] { "runs", "show", "latest", "search", "errors", "learnings", "learn", "relate", "graph", "query", "prune" })
        {
            Assert.Contains(expected, commands);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Command_runs(string location)
    {
        var line = ReadCommands().Single(c => c.Location == location).Line;
        var seeded = fixture.Store ?? throw new InvalidOperationException("The seeded store was not created.");
        var args = MarkdownBlocks.SplitCommandLine(line).Skip(1).ToList();
        // A run with a final response for `latest`; the failed run (it has errors with context) everywhere else.
        var executionId = args[0] == "latest" ? seeded.SuccessId : seeded.FailedId;
        args = args.Select(a => a
            .Replace("<execution-id>", executionId, StringComparison.Ordinal)
            .Replace("<other-execution-id>", seeded.SuccessId, StringComparison.Ordinal)
            .Replace("<script>", SeededStore.ScriptName, StringComparison.Ordinal)
            .Replace("<event-id>", seeded.ErrorEventId, StringComparison.Ordinal)
            .Replace("<learning-id>", seeded.LearningId, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(args, a => a.Contains('<') && a.Contains('>') && !a.Contains(' '));

        var work = Path.Combine(seeded.Directory, "work");
        Directory.CreateDirectory(work);
        var env = ProcessRunner.CleanEnvironment(new Dictionary<string, string?>
        {
            ["AGENTSCRIPT_STORE"] = seeded.StoreSetting,
            ["LOG_BUFFER_DIR"] = Path.Combine(seeded.Directory, "buffer"),
            ["NO_COLOR"] = "1",
        });
        var result = await ProcessRunner.RunAsync("dotnet", [RepoPaths.AgentLogDll, .. args], work, env, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, $"{location}: `{line}` failed.\n{result.Describe()}");
        Assert.False(string.IsNullOrWhiteSpace(result.StdOut + result.StdErr), $"{location}: `{line}` printed nothing.");
        if (args.Contains("--json"))
        {
            // What the prompts promise agents: --json output is one JSON document on stdout.
            using var doc = System.Text.Json.JsonDocument.Parse(result.StdOut);
            Assert.NotEqual(System.Text.Json.JsonValueKind.Undefined, doc.RootElement.ValueKind);
        }
    }

    private static IEnumerable<(string Location, string Line)> ReadCommands()
    {
        foreach (var block in MarkdownBlocks.Read(RepoPaths.Prompts, "bash"))
        {
            var lines = block.Code.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.StartsWith("agentlog ", StringComparison.Ordinal))
                {
                    yield return ($"{block.File}:{block.Line + i}", line);
                }
            }
        }
    }
}
