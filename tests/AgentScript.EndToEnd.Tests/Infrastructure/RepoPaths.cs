using System.Reflection;

namespace AgentScript.EndToEnd.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Prompts => Path.Combine(Root, "prompts");

    public static string Templates => Path.Combine(Root, "templates");

    public static string InstallScript => Path.Combine(Root, "scripts", "install-local.sh");

    /// <summary>The configuration this test assembly was built in (the CLI is built in the same one).</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "Configuration")?.Value ?? "Debug";

    /// <summary>The agentlog.dll built next to the CLI project (the test project references it for build order).</summary>
    public static string AgentLogDll
    {
        get
        {
            var path = Path.Combine(Root, "src", "AgentScript.Cli", "bin", Configuration, "net10.0", "agentlog.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"agentlog.dll was not built at {path}; build tests/AgentScript.EndToEnd.Tests first.", path);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Toolkit.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Toolkit.sln not found above {AppContext.BaseDirectory}.");
    }
}
