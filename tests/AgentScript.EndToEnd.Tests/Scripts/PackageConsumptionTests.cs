using System.Text.Json;
using AgentScript.EndToEnd.Tests.Infrastructure;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Storage.Sqlite;

namespace AgentScript.EndToEnd.Tests.Scripts;

/// <summary>
/// Packs the AgentScript package to a local folder and builds a project that consumes it by PackageReference only:
/// the one package must bring the runtime, the generator (entry point and interceptors) and the build props.
/// </summary>
[Collection(RepositoryPackCollection.Name)]
public sealed class PackageConsumptionTests
{
    [Fact]
    public async Task A_project_with_only_a_package_reference_gets_main_and_traced_spans()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = Path.Combine(Path.GetTempPath(), "agentscript-pack-" + Guid.NewGuid().ToString("N")[..8]);
        var feed = Path.Combine(root, "feed");
        var consumer = Path.Combine(root, "consumer");
        Directory.CreateDirectory(feed);
        Directory.CreateDirectory(consumer);
        // A unique version: the global packages folder can never serve a stale copy of an earlier test's package.
        var version = "0.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..6];
        var env = ProcessRunner.CleanEnvironment(new Dictionary<string, string?>());
        try
        {
            var pack = await ProcessRunner.RunAsync("dotnet",
                ["pack", Path.Combine(RepoPaths.Root, "src", "AgentScript", "AgentScript.csproj"), "-c", RepoPaths.Configuration,
                 "-o", feed, "-p:PackageVersion=" + version, "-nologo", "-v:q"],
                RepoPaths.Root, env, TimeSpan.FromMinutes(8), ct);
            Assert.True(pack.ExitCode == 0, pack.Describe());
            var nupkg = Path.Combine(feed, $"AgentScript.{version}.nupkg");
            Assert.True(File.Exists(nupkg), pack.Describe());
            using (var zip = System.IO.Compression.ZipFile.OpenRead(nupkg))
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

            // A Release build precompiles the dependencies a script loads at start-up (the package's props), the
            // DiagnosticSource copy OpenTelemetry brings included: IL-only, it cost ~130 JIT-compiled methods per run.
            var crossgen = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages",
                "microsoft.netcore.app.crossgen2." + System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier);
            if (!Directory.Exists(crossgen))
            {
                Assert.Skip($"{crossgen} is absent, so the props skip precompiling (as designed); nothing to check here.");
            }
            var release = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-v:m"], consumer, env, TimeSpan.FromMinutes(8), ct);
            Assert.True(release.ExitCode == 0, release.Describe());
            var output = Path.Combine(consumer, "bin", "Release", "net10.0");
            foreach (var dependency in new[] { "Serilog.dll", "Microsoft.Data.Sqlite.dll", "System.Diagnostics.DiagnosticSource.dll" })
            {
                Assert.True(IsReadyToRun(Path.Combine(output, dependency)), $"{dependency} in the Release output is not ReadyToRun.\n{release.Describe()}");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
                // The child processes run without NUGET_PACKAGES, so they used the default global packages folder.
                var cached = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "agentscript", version);
                if (Directory.Exists(cached))
                    Directory.Delete(cached, recursive: true);
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
