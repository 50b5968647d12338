using AgentScript.EndToEnd.Tests.Infrastructure;

namespace AgentScript.EndToEnd.Tests.Scripts;

/// <summary>
/// Builds, once per test class, a real script project that uses the generator (as an analyzer ProjectReference, the
/// way the sample does) and gives the tests its built dll to run in each mode.
/// </summary>
public sealed class GeneratedScriptFixture : IAsyncLifetime
{
    public const string ScriptName = "E2EScript";

    private const string Script = """
        using AgentScript;
        using AgentScript.Hosting;
        using Serilog;

        namespace E2E;

        public sealed record Answer(string Mode, int Value, string[] Arguments, string ExecutionId);

        public static class Entries
        {
            [AgentScript(Description = "Working entry with nested traced calls")]
            public static async Task<Answer> Working(ScriptContext context)
            {
                context.Logger.Information("working starts");
                var value = await Work.OuterAsync(context.CancellationToken);
                await Task.Run(() => Log.Information("from the thread pool"));
                return new Answer(context.Mode, value, context.Arguments.ToArray(), context.ExecutionId);
            }

            [AgentScript("debug", Description = "Debug entry for the end-to-end tests")]
            public static Answer Debug(ScriptContext context)
            {
                var value = Work.Square(7);
                Log.Information("debug computed {Value}", value);
                return new Answer(context.Mode, value, context.Arguments.ToArray(), context.ExecutionId);
            }

            [AgentScript("fail", Description = "Returns false")]
            public static bool Fail()
            {
                Log.Warning("about to report failure");
                return false;
            }

            [AgentScript("throw", Description = "A traced call throws")]
            public static void Throw() => Work.Explode();

            [AgentScript("wait", Description = "Waits until cancelled")]
            public static async Task Wait(CancellationToken cancellationToken)
            {
                Log.Information("waiting for cancellation");
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }

        public static class LoggingSetup
        {
            [AgentScriptLogging]
            public static void Configure(LoggerConfiguration configuration) => configuration.Enrich.WithProperty("HookApplied", "yes");
        }

        public static class Work
        {
            [Traced]
            public static async Task<int> OuterAsync(CancellationToken cancellationToken)
            {
                Log.Information("outer begins");
                var a = await InnerAsync(2, cancellationToken);
                var b = await Task.Run(() => InnerAsync(3, cancellationToken), cancellationToken);
                return a + b + Square(2);
            }

            [Traced("inner-step")]
            public static async Task<int> InnerAsync(int x, CancellationToken cancellationToken)
            {
                await Task.Delay(1, cancellationToken);
                Log.Information("inner {X}", x);
                return x * 10;
            }

            [Traced]
            public static int Square(int x) => x * x;

            [Traced]
            public static void Explode() => throw new InvalidOperationException("exploded on purpose");
        }
        """;

    private string? _directory;

    /// <summary>The temporary project directory (also the working directory of the runs).</summary>
    public string Directory => _directory ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>The built script.</summary>
    public string Dll => Path.Combine(Directory, "bin", RepoPaths.Configuration, "net10.0", ScriptName + ".dll");

    public async ValueTask InitializeAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "agentscript-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(_directory);
        await ScriptProject.WriteAsync(_directory, ScriptName, warningsAsErrors: true, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(_directory, "Script.cs"), Script);

        var build = await ProcessRunner.RunAsync("dotnet", ["build", "-c", RepoPaths.Configuration, "-nologo", "-v:q", ScriptProject.UseBuiltReferences], _directory,
            ProcessRunner.CleanEnvironment(new Dictionary<string, string?>()), TimeSpan.FromMinutes(8), CancellationToken.None);
        if (build.ExitCode != 0 || !File.Exists(Dll))
            throw new InvalidOperationException("The end-to-end script did not build.\n" + build.Describe());
    }

    public ValueTask DisposeAsync()
    {
        if (_directory != null)
        {
            try
            {
                System.IO.Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The environment of a run: the store in <paramref name="storePath"/>, buffers and data under the temp folder.</summary>
    public Dictionary<string, string?> Environment(string storePath) => ProcessRunner.CleanEnvironment(new Dictionary<string, string?>
    {
        ["AGENTSCRIPT_STORE"] = "sqlite:" + storePath,
        ["LOG_BUFFER_DIR"] = Path.Combine(Path.GetDirectoryName(storePath)!, "buffer"),
        ["XDG_DATA_HOME"] = Path.Combine(Path.GetDirectoryName(storePath)!, "data"),
    });
}
