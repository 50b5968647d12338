using System.Diagnostics;
using System.Text;
using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Startup;

/// <summary>
/// Section 4: a built no-op <c>[AgentScript]</c> program (the generated Main: start run, end run, flush) against a plain
/// console program, both built once into a temp folder and run alternately; extra wall time per run.
/// </summary>
public static class StartupSection
{
    private const string PlainProgram = "public static class Program { public static int Main() => 0; }\n";

    private const string AgentProgram = """
        using AgentScript;

        namespace NoOp;

        public static class Script
        {
            /// <summary>Does nothing: the run's start, end and flush are what is measured.</summary>
            [AgentScript]
            public static void Working() { }
        }
        """;

    public static async Task<SectionResult> RunAsync(RunContext ctx)
    {
        var runs = ctx.Quick ? 5 : 20;
        var dir = RunContext.NewTempDir("startup");
        var checks = new List<Check>();
        var sb = new StringBuilder();
        try
        {
            var src = Path.Combine(RepoPaths.Root, "src");
            var plainDir = Path.Combine(dir, "plain");
            var agentDir = Path.Combine(dir, "noop");
            Directory.CreateDirectory(plainDir);
            Directory.CreateDirectory(agentDir);
            await File.WriteAllTextAsync(Path.Combine(plainDir, "Program.cs"), PlainProgram);
            await File.WriteAllTextAsync(Path.Combine(plainDir, "plain.csproj"), Csproj(""));
            await File.WriteAllTextAsync(Path.Combine(agentDir, "Script.cs"), AgentProgram);
            // The package's props come with it for package users (interceptor namespace, dependencies precompiled);
            // a project reference does not bring them, so import them as the sample does.
            await File.WriteAllTextAsync(Path.Combine(agentDir, "noop.csproj"), Csproj($"""
                  <Import Project="{Path.Combine(src, "AgentScript", "buildTransitive", "AgentScript.props")}" />
                  <ItemGroup>
                    <ProjectReference Include="{Path.Combine(src, "AgentScript", "AgentScript.csproj")}" />
                    <ProjectReference Include="{Path.Combine(src, "AgentScript.Generators", "AgentScript.Generators.csproj")}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                  </ItemGroup>
                """));
            // Isolate the temp projects from any Directory.Build.props/packages above the temp folder.
            await File.WriteAllTextAsync(Path.Combine(dir, "Directory.Build.props"), "<Project />");
            await File.WriteAllTextAsync(Path.Combine(dir, "Directory.Packages.props"), "<Project />");

            foreach (var (name, projDir) in new[] { ("plain", plainDir), ("noop", agentDir) })
            {
                Console.WriteLine($"  building {name} …");
                var (code, output) = Shell.Run("dotnet", $"build -c Release -o \"{Path.Combine(projDir, "out")}\" -nologo -v q", projDir, timeoutMs: 900_000);
                if (code != 0)
                {
                    var firstError = output.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim() ?? $"exit code {code}";
                    throw new InvalidOperationException($"Building the {name} program failed: {firstError}");
                }
            }

            var plainExe = Path.Combine(plainDir, "out", "plain");
            var agentExe = Path.Combine(agentDir, "out", "noop");
            var env = new Dictionary<string, string>
            {
                ["AGENTSCRIPT_STORE"] = "sqlite:" + Path.Combine(dir, "store", "agentlog.db"),
                ["LOG_BUFFER_DIR"] = Path.Combine(dir, "store", "buffer"),
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            };

            // Warm-up: first runs pay for disk cache and the store's schema creation.
            var warm = RunOnce(agentExe, env, out var warmOutput);
            if (warm.Code != 0)
            {
                throw new InvalidOperationException($"The no-op [AgentScript] program exited with {warm.Code}: {FirstLine(warmOutput)}");
            }
            RunOnce(plainExe, env, out _);

            var plain = new List<double>();
            var agent = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                plain.Add(RunOnce(plainExe, env, out _).Ms);
                var r = RunOnce(agentExe, env, out var output);
                if (r.Code != 0)
                {
                    throw new InvalidOperationException($"The no-op [AgentScript] program exited with {r.Code}: {FirstLine(output)}");
                }
                agent.Add(r.Ms);
            }
            var recorded = CountRuns(Path.Combine(dir, "store", "agentlog.db"));

            var extra = Stats.Percentile(agent, 50) - Stats.Percentile(plain, 50);
            sb.AppendLine($"Both programs are built once (`dotnet build -c Release`) into a temp folder and started directly (apphost),");
            sb.AppendLine($"{runs} times each, alternately, after one warm-up run each. The no-op script has one `[AgentScript]` entry that does");
            sb.AppendLine("nothing; its generated `Main` starts the run, ends it and flushes the store (SQLite in a temp folder).");
            sb.AppendLine();
            sb.AppendLine("| Program | p50 wall time | mean | min | max |");
            sb.AppendLine("|---|---:|---:|---:|---:|");
            sb.AppendLine($"| plain console (`Main() => 0`) | {Stats.Ms(Stats.Percentile(plain, 50))} | {Stats.Ms(plain.Average())} | {Stats.Ms(plain.Min())} | {Stats.Ms(plain.Max())} |");
            sb.AppendLine($"| no-op `[AgentScript]` | {Stats.Ms(Stats.Percentile(agent, 50))} | {Stats.Ms(agent.Average())} | {Stats.Ms(agent.Min())} | {Stats.Ms(agent.Max())} |");
            sb.AppendLine();
            sb.AppendLine($"Extra per run (p50 − p50): **{Stats.Ms(extra)}**. Runs recorded in the store: {recorded} (expected {runs + 1}).");
            checks.Add(new Check("Start-up extra over a plain console program", Stats.Ms(extra), "≤ 50 ms", extra <= 50 && recorded == runs + 1));
            // Where the time goes, from the host itself: milestones and JIT counts (AGENTSCRIPT_STARTUP_TRACE=1).
            var traceEnv = new Dictionary<string, string>(env) { ["AGENTSCRIPT_STARTUP_TRACE"] = "1" };
            RunOnce(agentExe, traceEnv, out var traceOutput);
            var traceLines = traceOutput.Split('\n').Where(l => l.StartsWith("startup-trace:", StringComparison.Ordinal)).ToList();
            if (traceLines.Count > 0)
            {
                sb.AppendLine();
                sb.AppendLine("Milestones of one run (`AGENTSCRIPT_STARTUP_TRACE=1`: ms from process start; methods JIT-compiled so far):");
                sb.AppendLine();
                sb.AppendLine("```");
                foreach (var l in traceLines)
                {
                    sb.AppendLine(l["startup-trace:".Length..].Trim());
                }
                sb.AppendLine("```");
            }
            if (Profile(agentExe, env, dir) is { } profile)
            {
                sb.AppendLine();
                sb.AppendLine(profile);
            }
        }
        catch (InvalidOperationException ex)
        {
            sb.AppendLine($"Not measured: {ex.Message}");
            checks.Add(new Check("Start-up extra over a plain console program", "not measured (see section)", "≤ 50 ms", null));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            RunContext.TryDelete(dir);
        }
        return SectionResult.Create("startup", Titles.For("startup"), ctx, sb.ToString(), checks);
    }

    private static string Csproj(string extra) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <LangVersion>latest</LangVersion>
            <InterceptorsNamespaces>$(InterceptorsNamespaces);AgentScript.Generated</InterceptorsNamespaces>
            <NuGetAudit>false</NuGetAudit>
          </PropertyGroup>
        {extra}
        </Project>
        """;

    private static (int Code, double Ms) RunOnce(string exe, IDictionary<string, string> env, out string output)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        sw.Stop();
        output = so.Result + se.Result;
        return (p.ExitCode, sw.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// Where the no-op script's time goes: one run under <c>strace -f -tt</c> (file opens only), with the time from
    /// process start at which each milestone file is first opened. strace slows the process; read the shares, not the totals.
    /// </summary>
    private static string? Profile(string exe, IDictionary<string, string> env, string dir)
    {
        if (!File.Exists("/usr/bin/strace"))
        {
            return null;
        }
        var trace = Path.Combine(dir, "strace.txt");
        var (code, _) = Shell.Run("/usr/bin/strace", $"-f -tt -e trace=execve,openat,fsync,exit_group -o \"{trace}\" \"{exe}\"", dir, env);
        if (code != 0 || !File.Exists(trace))
        {
            return null;
        }
        var lines = File.ReadAllLines(trace);
        static TimeSpan? At(string line)
        {
            var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > 1 && TimeSpan.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : null;
        }
        var start = lines.Select(At).FirstOrDefault(t => t is not null);
        if (start is null)
        {
            return null;
        }
        var milestones = new (string Label, string Needle)[]
        {
            ("runtime up, script assembly loaded", "noop.dll"),
            ("AgentScript.dll loaded (generated Main runs)", "AgentScript.dll"),
            ("SQLite native library loaded", "libe_sqlite3.so"),
            ("store file opened", "agentlog.db\""),
            ("WAL opened (schema checked)", "agentlog.db-wal"),
            ("OpenSSL loaded (RandomNumberGenerator)", "libssl.so"),
            ("System.Text.Json loaded", "System.Text.Json.dll"),
            ("console logging (time zone read)", "/etc/localtime"),
            ("buffer status file written", "status.json"),
            ("process exit", "exit_group"),
        };
        var sb = new StringBuilder();
        sb.AppendLine("Profile — one run of the no-op script under `strace -f -tt` (file opens; strace slows everything, read the shares):");
        sb.AppendLine();
        sb.AppendLine("| Milestone (first time the file is opened) | ms from process start |");
        sb.AppendLine("|---|---:|");
        foreach (var (label, needle) in milestones)
        {
            var line = lines.FirstOrDefault(l => l.Contains(needle, StringComparison.Ordinal) && !l.Contains("ENOENT", StringComparison.Ordinal));
            var t = line is null ? null : At(line);
            sb.AppendLine($"| {label} | {(t is null ? "—" : Stats.N((t.Value - start.Value).TotalMilliseconds, "N0"))} |");
        }
        sb.AppendLine();
        sb.AppendLine($"Assemblies opened: {lines.Count(l => l.Contains(".dll", StringComparison.Ordinal) && !l.Contains("ENOENT", StringComparison.Ordinal))}; fsync calls: {lines.Count(l => l.Contains("fsync(", StringComparison.Ordinal))}.");
        return sb.ToString();
    }

    private static string FirstLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(no output)";

    private static long CountRuns(string db)
    {
        if (!File.Exists(db))
        {
            return 0;
        }
        using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM script_runs";
        return (long)cmd.ExecuteScalar()!;
    }
}
