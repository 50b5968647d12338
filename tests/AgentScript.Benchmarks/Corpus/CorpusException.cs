using AgentScript.Model;

namespace AgentScript.Benchmarks.Corpus;

/// <summary>An exception carrying a generated type name, message and stack trace, so sinks store realistic text.</summary>
public sealed class CorpusException(ExceptionInfo info) : Exception(info.Message)
{
    public string TypeName { get; } = info.Type;
    public override string ToString() => info.StackTrace ?? $"{info.Type}: {info.Message}";
}
