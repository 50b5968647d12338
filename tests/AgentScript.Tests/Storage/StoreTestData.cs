using AgentScript.Model;
using AgentScript.Storage;

namespace AgentScript.Tests.Storage;

/// <summary>Builders for store test data. Names are unique per test so a shared store (ArangoDB) works too.</summary>
internal sealed class StoreTestData
{
    public StoreTestData(string? prefix = null)
    {
        Script = (prefix ?? "t") + "_" + Guid.NewGuid().ToString("N")[..8];
    }

    /// <summary>A script name unique to this test.</summary>
    public string Script { get; }

    public DateTimeOffset T0 { get; } = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(-12), TimeSpan.Zero);

    public string NewExecutionId(DateTimeOffset? start = null) => ExecutionIds.Create(Script, start ?? T0);

    public ScriptRun Run(string executionId, DateTimeOffset? start = null, int? pid = null, RunStatus status = RunStatus.Running) => new()
    {
        ExecutionId = executionId,
        ScriptName = Script,
        Mode = "working",
        Status = status,
        StartTime = start ?? T0,
        Pid = pid ?? Environment.ProcessId,
        Host = Environment.MachineName,
        MetadataJson = """{"args":["a"]}""",
    };

    public LogEventRecord Event(string? executionId, string message, DateTimeOffset? time = null, string level = LogLevels.Info, string? category = null) => new()
    {
        EventId = EventIds.New(),
        Timestamp = time ?? T0,
        Level = level,
        Message = message,
        MessageTemplate = message,
        ExecutionId = executionId,
        ScriptName = Script,
        Category = category ?? level,
        Host = Environment.MachineName,
        Pid = Environment.ProcessId,
        ThreadId = 1,
    };

    public RunEnd End(string executionId, RunStatus status, DateTimeOffset? start = null, double durationMs = 1000) => new()
    {
        ExecutionId = executionId,
        Status = status,
        EndTime = (start ?? T0).AddMilliseconds(durationMs),
        DurationMs = durationMs,
        MessagesLogged = 3,
        CountsByLevel = new Dictionary<string, long> { ["INFO"] = 3 },
        Error = status == RunStatus.Failed ? new ExceptionInfo("System.InvalidOperationException", "boom") : null,
    };

    public AgentLearning Learning(string? executionId, string text, double confidence = 0.8, DateTimeOffset? time = null) => new()
    {
        LearningId = EventIds.New(),
        Timestamp = time ?? T0,
        Learning = text,
        ExecutionId = executionId,
        ScriptName = Script,
        FunctionName = "Fetch",
        Context = "tried twice",
        Confidence = confidence,
    };

    /// <summary>A full successful run with events, final response and end.</summary>
    public (string ExecutionId, List<StoreWrite> Writes) CompleteRun(string responseJson, DateTimeOffset? start = null, RunStatus status = RunStatus.Success, double durationMs = 1000)
    {
        var s = start ?? T0;
        var id = NewExecutionId(s);
        var writes = new List<StoreWrite>
        {
            new RunStartWrite(Run(id, s)),
            new EventWrite(Event(id, "starting work", s.AddMilliseconds(1))),
            new EventWrite(Event(id, "working hard", s.AddMilliseconds(2))),
            new EventWrite(Event(id, "final response", s.AddMilliseconds(3), category: LogCategories.FinalResponse) with { PayloadJson = responseJson }),
            new FinalResponseWrite(id, responseJson),
            new RunEndWrite(End(id, status, s, durationMs)),
        };
        return (id, writes);
    }
}
