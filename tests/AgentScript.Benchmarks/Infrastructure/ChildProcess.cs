namespace AgentScript.Benchmarks.Infrastructure;

/// <summary>How to start this benchmark executable again as a child process.</summary>
public static class ChildProcess
{
    public static (string File, string[] PrefixArgs) Self()
    {
        var path = Environment.ProcessPath ?? "dotnet";
        var name = Path.GetFileNameWithoutExtension(path);
        // Under `dotnet AgentScript.Benchmarks.dll` the process is the host; pass the dll.
        return name.Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? (path, [typeof(ChildProcess).Assembly.Location])
            : (path, []);
    }
}
