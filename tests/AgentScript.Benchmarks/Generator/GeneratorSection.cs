using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Generator;

public static class GeneratorSection
{
    public static Task<SectionResult> RunAsync(RunContext ctx) => throw new NotImplementedException();
}
