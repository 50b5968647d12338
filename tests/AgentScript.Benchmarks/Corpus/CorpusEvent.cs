using AgentScript.Model;

namespace AgentScript.Benchmarks.Corpus;

/// <summary>One generated event: the Serilog call (template + values) and its rendered form.</summary>
public sealed record CorpusEvent(
    int TemplateIndex,
    string Level,
    string Template,
    string[] PropertyNames,
    object[] Values,
    string Message,
    ExceptionInfo? Exception,
    string ExecutionId,
    string ScriptName,
    DateTimeOffset Timestamp);

/// <summary>One generated run: its id, script, time span and number of events.</summary>
public sealed record CorpusRun(string ExecutionId, string ScriptName, DateTimeOffset Start, int Events, bool Failed);
