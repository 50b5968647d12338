using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Search;

public static class SearchSection
{
    public static Task<SectionResult> RunAsync(RunContext ctx) => throw new NotImplementedException();
}
