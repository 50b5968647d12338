using AgentScript.Cli.Runtime;
using AgentScript.Storage;

namespace AgentScript.Cli.Tests.Support;

/// <summary>
/// A temporary folder with a SQLite store file selected through the environment
/// (<c>AGENTSCRIPT_STORE=sqlite:&lt;tmp&gt;/agentlog.db</c>), and ways to run agentlog against it — in-process or as a
/// real <c>dotnet agentlog.dll</c> process.
/// </summary>
public sealed class TempStore : IAsyncDisposable
{
    public TempStore()
    {
        Directory = Path.Combine(Path.GetTempPath(), "agentlog-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DbPath = Path.Combine(Directory, "agentlog.db");
        Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AGENTSCRIPT_STORE"] = "sqlite:" + DbPath,
            ["LOG_BUFFER_DIR"] = Path.Combine(Directory, "buffer"),
            ["HOME"] = Directory,
            ["XDG_DATA_HOME"] = Path.Combine(Directory, "data"),
            ["LOG_FLUSH_INTERVAL"] = "0.2",
            ["LOG_CONSOLE_LEVEL"] = "ERROR",
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH"),
            ["DOTNET_ROOT"] = System.Environment.GetEnvironmentVariable("DOTNET_ROOT"),
            ["DOTNET_CLI_HOME"] = System.Environment.GetEnvironmentVariable("DOTNET_CLI_HOME"),
        };
    }

    public string Directory { get; }
    public string DbPath { get; }
    public Dictionary<string, string?> Environment { get; }

    /// <summary>Opens the store directly (for seeding and for checking what a command wrote).</summary>
    public async Task<IAgentLogStore> OpenAsync()
    {
        var options = DefaultRuntimeServices.Instance.LoadOptions(Environment, Directory);
        var store = DefaultRuntimeServices.Instance.OpenStore(options);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        return store;
    }

    /// <summary>Runs agentlog in-process.</summary>
    public async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, TestContext.Current.CancellationToken);

    /// <summary>Runs agentlog in-process with a token (for tail --follow).</summary>
    public async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken, TextWriter? stdout = null)
    {
        var output = stdout ?? new StringWriter();
        var error = new StringWriter();
        var code = await AgentLogApp.RunAsync(args, output, error, Environment, cancellationToken);
        return new CliResult(code, output.ToString() ?? "", error.ToString());
    }

    /// <summary>Runs the real tool as a process: <c>dotnet agentlog.dll args</c>.</summary>
    public Task<CliResult> RunProcessAsync(params string[] args) => ProcessRunner.RunAsync(args, Environment, Directory);

    public ValueTask DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
