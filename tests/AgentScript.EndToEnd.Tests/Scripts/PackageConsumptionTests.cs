using System.Text.Json;
using AgentScript.EndToEnd.Tests.Infrastructure;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage.Sqlite;

namespace AgentScript.EndToEnd.Tests.Scripts;

/// <summary>
/// Takes the AgentScript package packed to a local folder (<see cref="RepositoryPackages"/>) and builds a project that
/// consumes it by PackageReference only: the one package must bring the runtime, the generator (entry point and
/// interceptors) and the build props.
/// </summary>
[Collection(RepositoryPackCollection.Name)]
public sealed class PackageConsumptionTests(RepositoryPackages packages)
{
    [Fact]
    public async Task A_project_with_only_a_package_reference_gets_main_and_traced_spans()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = Path.Combine(Path.GetTempPath(), "agentscript-pack-" + Guid.NewGuid().ToString("N")[..8]);
        var feed = packages.Feed;
        var version = packages.Version;
        var consumer = Path.Combine(root, "consumer");
        Directory.CreateDirectory(consumer);
        var env = ProcessRunner.CleanEnvironment(new Dictionary<string, string?>());
        try
        {
            using (var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"AgentScript.{version}.nupkg")))
            {
                var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
                Assert.Contains("lib/net10.0/AgentScript.dll", names);
                Assert.Contains("analyzers/dotnet/cs/AgentScript.Generators.dll", names);
                Assert.Contains("analyzers/dotnet/cs/AgentScript.CodeFixes.dll", names);
                Assert.Contains("buildTransitive/AgentScript.props", names);
            }

            await File.WriteAllTextAsync(Path.Combine(consumer, "NuGet.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="agentscript-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """, ct);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="AgentScript" Version="{version}" />
                  </ItemGroup>
                </Project>
                """, ct);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.cs"), """
                using AgentScript;
                using AgentScript.Hosting;

                namespace Consumer;

                public static class Script
                {
                    [AgentScript("debug", Description = "Packaged debug entry")]
                    public static async Task<object> Debug(ScriptContext context)
                    {
                        var sum = await Helpers.AddAsync(20, 22);
                        return new { packaged = true, sum };
                    }
                }

                public static class Helpers
                {
                    [Traced]
                    public static async Task<int> AddAsync(int a, int b)
                    {
                        await Task.Yield();
                        return a + b;
                    }
                }
                """, ct);

            var build = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Debug", "-nologo", "-v:q"], consumer, env, TimeSpan.FromMinutes(8), ct);
            Assert.True(build.ExitCode == 0, build.Describe());

            var storePath = Path.Combine(root, "store", "agentlog.db");
            Directory.CreateDirectory(Path.GetDirectoryName(storePath)!);
            var runEnv = ProcessRunner.CleanEnvironment(new Dictionary<string, string?>
            {
                ["AGENTSCRIPT_STORE"] = "sqlite:" + storePath,
                ["LOG_BUFFER_DIR"] = Path.Combine(root, "buffer"),
                ["XDG_DATA_HOME"] = Path.Combine(root, "data"),
            });
            var run = await ProcessRunner.RunAsync("dotnet", [Path.Combine(consumer, "bin", "Debug", "net10.0", "Consumer.dll"), "debug"],
                consumer, runEnv, TimeSpan.FromMinutes(2), ct);
            Assert.True(run.ExitCode == 0, run.Describe());
            using var response = JsonDocument.Parse(run.StdOut);
            Assert.True(response.RootElement.GetProperty("packaged").GetBoolean());
            Assert.Equal(42, response.RootElement.GetProperty("sum").GetInt32());

            // The interceptor came from the package (the consumer set no InterceptorsNamespaces itself).
            await using var store = new SqliteLogStore(storePath);
            await store.InitializeAsync(ct);
            var spans = new List<LogEventRecord>();
            await foreach (var e in store.StreamEventsAsync(new EventFilter { Category = LogCategories.SpanStart }, ct))
                spans.Add(e.Event);
            Assert.Equal("Helpers.AddAsync", Assert.Single(spans).FunctionName);

            // Activities and meters come from the shared framework's precompiled assembly: a package copy newer than it
            // (OpenTelemetry 1.21 asks for DiagnosticSource 11.0.0) would replace it and be JIT-compiled at every start.
            var debugOutput = Path.Combine(consumer, "bin", "Debug", "net10.0");
            Assert.False(File.Exists(Path.Combine(debugOutput, "System.Diagnostics.DiagnosticSource.dll")),
                "A System.Diagnostics.DiagnosticSource package copy is in the script's output: some dependency asks for a newer one than the shared framework's.");

            // A Release build precompiles the dependencies a script loads at start-up (the package's props).
            var crossgen = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages",
                "microsoft.netcore.app.crossgen2." + System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier);
            if (!Directory.Exists(crossgen))
            {
                Assert.Skip($"{crossgen} is absent, so the props skip precompiling (as designed); nothing to check here.");
            }
            var release = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-v:m"], consumer, env, TimeSpan.FromMinutes(8), ct);
            Assert.True(release.ExitCode == 0, release.Describe());
            var output = Path.Combine(consumer, "bin", "Release", "net10.0");
            foreach (var dependency in new[] { "Serilog.dll", "Microsoft.Data.Sqlite.dll" })
            {
                Assert.True(IsReadyToRun(Path.Combine(output, dependency)), $"{dependency} in the Release output is not ReadyToRun.\n{release.Describe()}");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Leftover temp files are harmless.
            }
        }
    }

    private static bool IsReadyToRun(string path)
    {
        using var reader = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(path));
        // crossgen2 output carries a managed native header (the ReadyToRun header); a plain IL assembly has none.
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }
}
