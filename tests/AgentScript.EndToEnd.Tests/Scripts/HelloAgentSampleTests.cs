using System.Text.Json;
using AgentScript.EndToEnd.Tests.Infrastructure;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage.Sqlite;

namespace AgentScript.EndToEnd.Tests.Scripts;

/// <summary>The README's main job: the HelloAgent sample's debug entry prints its response and records everything.</summary>
public sealed class HelloAgentSampleTests
{
    [Fact]
    public async Task Debug_prints_only_the_response_and_the_store_has_run_learning_progress_and_nested_spans()
    {
        var ct = TestContext.Current.CancellationToken;
        var project = Path.Combine(RepoPaths.Root, "samples", "HelloAgent");
        var env = ProcessRunner.CleanEnvironment(new Dictionary<string, string?>());
        var build = await ProcessRunner.RunAsync("dotnet", ["build", project, "-c", RepoPaths.Configuration, "-nologo", "-v:q", ScriptProject.UseBuiltReferences],
            RepoPaths.Root, env, TimeSpan.FromMinutes(8), ct);
        Assert.True(build.ExitCode == 0, build.Describe());

        var temp = Path.Combine(Path.GetTempPath(), "agentscript-hello-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(temp);
        try
        {
            var storePath = Path.Combine(temp, "agentlog.db");
            var runEnv = ProcessRunner.CleanEnvironment(new Dictionary<string, string?>
            {
                ["AGENTSCRIPT_STORE"] = "sqlite:" + storePath,
                ["LOG_BUFFER_DIR"] = Path.Combine(temp, "buffer"),
                ["XDG_DATA_HOME"] = Path.Combine(temp, "data"),
            });
            var dll = Path.Combine(project, "bin", RepoPaths.Configuration, "net10.0", "HelloAgent.dll");
            var run = await ProcessRunner.RunAsync("dotnet", [dll, "debug"], temp, runEnv, TimeSpan.FromMinutes(2), ct);
            Assert.True(run.ExitCode == 0, run.Describe());

            // stdout: the final response and nothing else.
            var line = Assert.Single(run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            using var response = JsonDocument.Parse(line);
            Assert.Equal("debug", response.RootElement.GetProperty("Mode").GetString());
            Assert.Equal(4, response.RootElement.GetProperty("Tickets").GetInt32());
            Assert.Equal(3, response.RootElement.GetProperty("Urgent").GetArrayLength());

            await using var store = new SqliteLogStore(storePath);
            await store.InitializeAsync(ct);
            var latest = await store.GetLatestResponseAsync("HelloAgent", cancellationToken: ct);
            Assert.NotNull(latest);
            Assert.True(JsonElement.DeepEquals(response.RootElement, JsonDocument.Parse(latest.ResponseJson).RootElement));
            var record = await store.GetRunAsync(latest.ExecutionId, ct);
            Assert.Equal(RunStatus.Success, record?.Status);
            Assert.Equal("debug", record?.Mode);
            Assert.Equal("done", record?.Progress?.Stage);
            Assert.Equal(100, record?.Progress?.Percent);

            var learning = Assert.Single(await store.GetLearningsAsync(new LearningQuery { ExecutionId = latest.ExecutionId }, ct));
            Assert.Contains("Refund requests", learning.Learning, StringComparison.Ordinal);

            var events = new List<LogEventRecord>();
            await foreach (var e in store.StreamEventsAsync(new EventFilter { ExecutionId = latest.ExecutionId }, ct))
                events.Add(e.Event);
            var starts = events.Where(e => e.Category == LogCategories.SpanStart).ToList();
            var triage = Assert.Single(starts, e => e.FunctionName == "triage");
            Assert.Null(triage.ParentSpanId);
            var children = starts.Where(e => e != triage).ToList();
            Assert.Equal(["Classifier.Classify", "Classifier.Classify", "Classifier.Classify", "Classifier.Classify", "TicketDesk.LoadAsync"],
                children.Select(e => e.FunctionName!).Order(StringComparer.Ordinal));
            Assert.All(children, c => Assert.Equal(triage.SpanId, c.ParentSpanId));
            Assert.Equal(starts.Count, events.Count(e => e.Category == LogCategories.SpanEnd));
        }
        finally
        {
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
