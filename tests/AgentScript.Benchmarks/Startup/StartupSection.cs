using System.Diagnostics;
using System.Text;
using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Startup;

/// <summary>
/// Section 4: a built no-op <c>[AgentScript]</c> program (the generated Main: start run, end run, flush) against a plain
/// console program, all built once into a temp folder and run alternately; extra wall time per run. The script is
/// measured with the project defaults, with the template's start-up properties (what <c>dotnet new agentscript</c>
/// gives) and published Native AOT with those properties.
/// </summary>
public static class StartupSection
{
    private const string CheckName = "Start-up extra over a plain console program";

    public static Task<SectionResult> RunAsync(RunContext ctx)
    {
        var runs = ctx.Quick ? 5 : 20;
        var dir = RunContext.NewTempDir("startup");
        var checks = new List<Check>();
        var sb = new StringBuilder();
        try
        {
            var templateProperties = StartupPrograms.TemplateProperties();
            var templateLabel = templateProperties.Count == 0
                ? "no-op `[AgentScript]`, template settings (none)"
                : $"no-op `[AgentScript]`, template settings ({string.Join(", ", templateProperties.Select(p => $"`{p.Name}={p.Value}`"))})";
            var plain = StartupPrograms.Plain(dir);
            var programs = new List<StartupProgram>
            {
                plain,
                StartupPrograms.Script(dir, "noop", "no-op `[AgentScript]`, project defaults", []),
                StartupPrograms.Script(dir, "nooptemplate", templateLabel, templateProperties),
            };
            var defaults = programs[1];
            var template = programs[2];
            var (aot, aotNote) = StartupPrograms.NativeAot(dir, templateProperties);
            if (aot is not null)
            {
                programs.Add(aot);
            }
            var store = Path.Combine(dir, "store", "agentlog.db");
            var env = new Dictionary<string, string>
            {
                ["AGENTSCRIPT_STORE"] = "sqlite:" + store,
                ["LOG_BUFFER_DIR"] = Path.Combine(dir, "store", "buffer"),
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            };

            // Warm-up: first runs pay for disk cache and the store's schema creation.
            foreach (var program in programs.ToList())
            {
                var warm = RunOnce(program.Exe, env, out var warmOutput);
                if (warm.Code == 0)
                {
                    continue;
                }
                if (program == aot)
                {
                    aotNote += $" The published program exited with {warm.Code}: {FirstLine(warmOutput)}";
                    programs.Remove(aot);
                    aot = null;
                    continue;
                }
                throw new InvalidOperationException($"The {program.Label} program exited with {warm.Code}: {FirstLine(warmOutput)}");
            }

            var times = programs.ToDictionary(p => p.Key, _ => new List<double>());
            for (var i = 0; i < runs; i++)
            {
                foreach (var program in programs)
                {
                    var r = RunOnce(program.Exe, env, out var output);
                    if (r.Code != 0)
                    {
                        throw new InvalidOperationException($"The {program.Label} program exited with {r.Code}: {FirstLine(output)}");
                    }
                    times[program.Key].Add(r.Ms);
                }
            }
            var expected = programs.Count(p => p.IsScript) * (runs + 1);
            var recorded = CountRuns(store);
            double Extra(StartupProgram p) => Stats.Percentile(times[p.Key], 50) - Stats.Percentile(times[plain.Key], 50);

            sb.AppendLine("All programs are built once (`dotnet build -c Release`; the AOT one `dotnet publish -c Release -p:PublishAot=true`)");
            sb.AppendLine($"into a temp folder and started directly (apphost), {runs} times each, alternately, after one warm-up run each.");
            sb.AppendLine("The no-op script has one `[AgentScript]` entry that does nothing; its generated `Main` starts the run, ends it and");
            sb.AppendLine("flushes the store (SQLite in a temp folder). \"Template settings\" are the start-up properties of");
            sb.AppendLine("`templates/content/agentscript/MyAgentScript.csproj`, which `dotnet new agentscript` projects get.");
            sb.AppendLine();
            sb.AppendLine("| Program | p50 wall time | mean | min | max | extra over plain (p50 − p50) |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var p in programs)
            {
                var t = times[p.Key];
                sb.AppendLine($"| {p.Label} | {Stats.Ms(Stats.Percentile(t, 50))} | {Stats.Ms(t.Average())} | {Stats.Ms(t.Min())} | {Stats.Ms(t.Max())} | {(p.IsScript ? SignedMs(Extra(p)) : "—")} |");
            }
            sb.AppendLine();
            sb.AppendLine($"Runs recorded in the store: {recorded} (expected {expected}). Native AOT: {aotNote}");
            var figure = $"{SignedMs(Extra(template))} with the template settings (project defaults {SignedMs(Extra(defaults))}{(aot is null ? "" : $"; Native AOT {SignedMs(Extra(aot))}")})";
            checks.Add(new Check(CheckName, figure, "≤ 50 ms", Extra(template) <= 50 && recorded == expected));
            // Where the time goes, from the host itself: milestones and JIT counts (AGENTSCRIPT_STARTUP_TRACE=1).
            var traceEnv = new Dictionary<string, string>(env) { ["AGENTSCRIPT_STARTUP_TRACE"] = "1" };
            RunOnce(template.Exe, traceEnv, out var traceOutput);
            var traceLines = traceOutput.Split('\n').Where(l => l.StartsWith("startup-trace:", StringComparison.Ordinal)).ToList();
            if (traceLines.Count > 0)
            {
                sb.AppendLine();
                sb.AppendLine("Milestones of one run with the template settings (`AGENTSCRIPT_STARTUP_TRACE=1`: ms from process start; methods JIT-compiled so far):");
                sb.AppendLine();
                sb.AppendLine("```");
                foreach (var l in traceLines)
                {
                    sb.AppendLine(l["startup-trace:".Length..].Trim());
                }
                sb.AppendLine("```");
            }
            if (Profile(template.Exe, env, dir) is { } profile)
            {
                sb.AppendLine();
                sb.AppendLine(profile);
            }
        }
        catch (InvalidOperationException ex)
        {
            sb.AppendLine($"Not measured: {ex.Message}");
            checks.Add(new Check(CheckName, "not measured (see section)", "≤ 50 ms", null));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            RunContext.TryDelete(dir);
        }
        return Task.FromResult(SectionResult.Create("startup", Titles.For("startup"), ctx, sb.ToString(), checks));
    }

    // An AOT program can start faster than the plain JIT one: show the sign, with the usual precision.
    private static string SignedMs(double ms) => ms < 0 ? "−" + Stats.Ms(-ms) : Stats.Ms(ms);

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
            ("runtime up, script assembly loaded", Path.GetFileName(exe) + ".dll"),
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
