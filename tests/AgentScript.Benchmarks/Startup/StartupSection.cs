using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Startup;

public static class StartupSection
{
    public static Task<SectionResult> RunAsync(RunContext ctx) => throw new NotImplementedException();
}
