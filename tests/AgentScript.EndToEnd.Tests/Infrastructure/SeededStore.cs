using AgentScript.Configuration;
using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real SQLite store in a temp folder holding what two runs of a script leave behind: a successful run with
/// progress, a learning and a final response, and a failed run whose error has events before and after it.
/// Written through the public store contract, the same writes the sink makes.
/// </summary>
internal sealed class SeededStore : IAsyncDisposable
{
    public const string ScriptName = "PromptSeed";

    private SeededStore(string directory) => Directory = directory;

    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "seed.db");
    public string StoreSetting => "sqlite:" + DatabasePath;
    public string SuccessId { get; private set; } = "";
    public string FailedId { get; private set; } = "";
    public string ErrorEventId { get; private set; } = "";
    public string LearningId { get; private set; } = "";

    public static async Task<SeededStore> CreateAsync(CancellationToken cancellationToken)
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentscript-prompts-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(dir);
        var seeded = new SeededStore(dir);
        var options = AgentScriptConfiguration.Load(dir, new Dictionary<string, string?>
        {
            [AgentScriptConfiguration.StoreVariable] = seeded.StoreSetting,
            ["LOG_BUFFER_DIR"] = Path.Combine(dir, "buffer"),
        });
        try
        {
            await using var store = AgentLogStores.Open(options);
            await store.InitializeAsync(cancellationToken);
            await seeded.WriteRunsAsync(store, cancellationToken);
            return seeded;
        }
        catch
        {
            await seeded.DisposeAsync();
            throw;
        }
    }

    private async Task WriteRunsAsync(IAgentLogStore store, CancellationToken cancellationToken)
    {
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        SuccessId = ExecutionIds.Create(ScriptName, t0);
        FailedId = ExecutionIds.Create(ScriptName, t0.AddMinutes(5));
        ErrorEventId = EventIds.New();
        LearningId = EventIds.New();

        var writes = new List<StoreWrite>();
        // Run 1: success, with progress, a learning and a final response.
        writes.Add(new RunStartWrite(Run(SuccessId, "working", t0)));
        writes.Add(new EventWrite(Event(SuccessId, t0.AddSeconds(1), LogLevels.Info, "Loaded 2 offers from built-in", "INFO")));
        writes.Add(new ProgressWrite(SuccessId, new RunProgress("pick", 50, t0.AddSeconds(2))));
        writes.Add(new EventWrite(Event(SuccessId, t0.AddSeconds(2), LogLevels.Info, "Progress pick 50%", LogCategories.Progress)));
        writes.Add(new LearningWrite(new AgentLearning
        {
            LearningId = LearningId, Timestamp = t0.AddSeconds(3), ExecutionId = SuccessId, ScriptName = ScriptName,
            Learning = "The supplier API returns HTTP 429 above 5 requests per second; rate limit batches of 5.",
            FunctionName = "Supplier.Fetch", Confidence = 0.85,
        }));
        const string response = """{"id":"b","price":3.5}""";
        writes.Add(new FinalResponseWrite(SuccessId, response));
        writes.Add(new EventWrite(Event(SuccessId, t0.AddSeconds(4), LogLevels.Info, "SCRIPT_FINAL_RESPONSE", LogCategories.FinalResponse) with { PayloadJson = response }));
        writes.Add(new RunEndWrite(new RunEnd
        {
            ExecutionId = SuccessId, Status = RunStatus.Success, EndTime = t0.AddSeconds(5), DurationMs = 5000, MessagesLogged = 3,
            CountsByLevel = new Dictionary<string, long> { [LogLevels.Info] = 3 },
        }));

        // Run 2: failed, an error between other events (context before and after).
        var t1 = t0.AddMinutes(5);
        var error = new ExceptionInfo("System.InvalidOperationException", "Verification failed: price not positive", "   at Guide.PriceScript.Working()");
        writes.Add(new RunStartWrite(Run(FailedId, "debug", t1)));
        writes.Add(new EventWrite(Event(FailedId, t1.AddSeconds(1), LogLevels.Info, "Offers loaded: 2 offers from built-in", "INFO")));
        writes.Add(new EventWrite(Event(FailedId, t1.AddSeconds(1.5), LogLevels.Warning, "Fetch attempt 1 failed; retrying in 200 ms", "WARNING")));
        writes.Add(new EventWrite(Event(FailedId, t1.AddSeconds(2), LogLevels.Error, "Verification failed: price not positive", "ERROR") with
        {
            EventId = ErrorEventId, Exception = error,
        }));
        writes.Add(new EventWrite(Event(FailedId, t1.AddSeconds(2.5), LogLevels.Info, "Run failed after verification", "INFO")));
        writes.Add(new RunEndWrite(new RunEnd
        {
            ExecutionId = FailedId, Status = RunStatus.Failed, EndTime = t1.AddSeconds(3), DurationMs = 3000, MessagesLogged = 4, Error = error,
            CountsByLevel = new Dictionary<string, long> { [LogLevels.Info] = 2, [LogLevels.Warning] = 1, [LogLevels.Error] = 1 },
        }));

        await SeedRecords.WriteAllAsync(store, writes, cancellationToken);
    }

    private static ScriptRun Run(string id, string mode, DateTimeOffset start) => SeedRecords.StartedRun(id, ScriptName, mode, start);

    private static LogEventRecord Event(string executionId, DateTimeOffset time, string level, string message, string category) =>
        SeedRecords.Event(executionId, ScriptName, time, level, message, category);

    public ValueTask DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on some platform: the temp folder is cleaned by the OS later.
        }
        return ValueTask.CompletedTask;
    }
}
