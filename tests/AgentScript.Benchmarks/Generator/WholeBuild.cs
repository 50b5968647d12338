// Whole `dotnet build` of a project with vs without the generator and analyzers, alternating in one run.
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Generator;

/// <summary>
/// Builds a throw-away project the way a user does (<c>dotnet build --no-restore</c> with the compiler server) in two
/// variants: <b>with</b> the AgentScript generator and analyzers, and <b>without</b> them, compiling the generated
/// sources (taken from a first build) as ordinary files, so both variants compile the same program. Each round builds
/// both, in alternating order, after touching one file that no interceptor refers to (so the compiler runs every time).
/// Wall time is the whole command; <i>Csc</i> is the compiler task's time from MSBuild's performance summary.
/// The compiler server is asked for explicitly, under a pipe name of this run (the environment may turn it off, as
/// <c>UseSharedCompilation=false</c> does on shared build machines; then every build would start a fresh compiler and
/// JIT-compile it, the generator and analyzers, which a user with the default server pays once), and shut down at the end
/// (if the section is stopped before that, the server exits by itself after its idle time-out).
/// </summary>
internal static class WholeBuild
{
    private static readonly Regex CscTask = new(@"^\s*(\d+) ms\s+Csc\s+\d+ calls", RegexOptions.Multiline);
    private static readonly Regex ReportLine = new(@"^\s*(Total (?:analyzer|generator) execution time:.*|\s*[\d.<]+\s+\d+\s+AgentScript\.Generators.*)$", RegexOptions.Multiline);

    /// <summary>
    /// The measured rounds (index i of each list is round i: a with and a without build next to each other in time) and,
    /// apart, the wall times of the warm-up rounds after the first, paired the same way; and the compiler's report lines of
    /// each <c>ReportAnalyzer</c> build.
    /// </summary>
    public sealed record Result(string Name, int Files, List<double> WallWith, List<double> WallWithout, List<double> CscWith,
        List<double> CscWithout, List<List<string>> Reports, List<string> Errors, List<double> WarmupWallWith, List<double> WarmupWallWithout);

    /// <summary>
    /// Builds with <c>-p:ReportAnalyzer=true</c> after the measured rounds. The compiler reports wall time of analyzers it
    /// runs concurrently on the machine's cores, so one build's figure follows what else ran then (on this 2-core machine
    /// the same code read 264 ms in one run and 474 ms in another): the section takes the median of these builds.
    /// </summary>
    public const int ReportBuilds = 5;

    /// <summary>
    /// Median of the per-round differences (with − without) over the median without: what the pairs say, with a 90 %
    /// bootstrap interval of that median (how far the noise of this run leaves it open).
    /// </summary>
    public static (double Share, double Low, double High) PairedShare(IReadOnlyList<double> with, IReadOnlyList<double> without)
    {
        var differences = with.Zip(without, (w, o) => w - o).ToList();
        var baseline = Stats.Median(without);
        var (low, high) = Stats.BootstrapInterval(differences, Stats.Median);
        return (Stats.Median(differences) / baseline, low / baseline, high / baseline);
    }

    private static readonly string[] Server = ["-p:UseSharedCompilation=true"];

    public static async Task<Result> MeasureAsync(string name, IReadOnlyList<(string Path, string Text)> files, int rounds, bool keep = false, int warmupRounds = 1)
    {
        var dir = RunContext.NewTempDir("wholebuild");
        var errors = new List<string>();
        var pipe = "-p:SharedCompilationId=agentscript-bench-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "src"));
            foreach (var (path, text) in files)
                await File.WriteAllTextAsync(Path.Combine(dir, "src", Path.GetFileName(path)), text);
            await File.WriteAllTextAsync(Path.Combine(dir, "src", "Touch.cs"), Touch(0));
            await File.WriteAllTextAsync(Path.Combine(dir, "Bench.csproj"), Project());

            // First build (restore, references, generated files written out for the variant without the generator).
            // EmitGen is read by this project only (a global EmitCompilerGeneratedFiles would reach the referenced projects too).
            var first = await DotnetAsync(dir, ["build", "Bench.csproj", "-p:EmitGen=true", pipe, .. Server]);
            if (first.ExitCode != 0)
            {
                errors.Add("first build failed: " + Tail(first.Output));
                return new Result(name, files.Count, [], [], [], [], [], errors, [], []);
            }
            Directory.CreateDirectory(Path.Combine(dir, "without"));
            foreach (var generated in Directory.GetFiles(Path.Combine(dir, "gen", "AgentScript.Generators"), "*.cs", SearchOption.AllDirectories))
                File.Copy(generated, Path.Combine(dir, "without", Path.GetFileName(generated)), overwrite: true);

            var wallWith = new List<double>();
            var wallWithout = new List<double>();
            var cscWith = new List<double>();
            var cscWithout = new List<double>();
            var warmWith = new List<double>();
            var warmWithout = new List<double>();
            var touch = 0;
            // The compiler server JIT-compiles Roslyn's own code for the paths a build takes, tier by tier, for about the
            // first 30 builds after it starts (generic instantiations of the generator and analyzer drivers over the types a
            // generator's pipeline uses, among others); the variant with the generator takes more of those paths. The warm-up
            // rounds let that settle before the measured rounds, as it has for a user's server after a few dozen builds.
            for (var round = 1 - warmupRounds; round <= rounds; round++)
            {
                var pair = new Dictionary<bool, (double Wall, double Csc)>();
                foreach (var without in round % 2 == 0 ? new[] { false, true } : new[] { true, false })
                {
                    await File.WriteAllTextAsync(Path.Combine(dir, "src", "Touch.cs"), Touch(++touch));
                    var sw = Stopwatch.StartNew();
                    var run = await DotnetAsync(dir, ["build", "Bench.csproj", "--no-restore", "-p:BuildProjectReferences=false",
                        "-clp:PerformanceSummary", "-p:Without=" + (without ? "true" : "false"), pipe, .. Server]);
                    sw.Stop();
                    if (run.ExitCode != 0)
                    {
                        errors.Add((without ? "without" : "with") + " build failed: " + Tail(run.Output));
                        continue;
                    }
                    var csc = CscTask.Match(run.Output);
                    pair[without] = (sw.Elapsed.TotalMilliseconds,
                        csc.Success ? double.Parse(csc.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : double.NaN);
                }
                if (pair.Count < 2)
                    continue; // a round counts only as a pair
                if (round <= 0)
                {
                    if (round > 1 - warmupRounds) // the very first round also JIT-compiles everything else: left out
                    {
                        warmWith.Add(pair[false].Wall);
                        warmWithout.Add(pair[true].Wall);
                    }
                    continue;
                }
                wallWith.Add(pair[false].Wall);
                wallWithout.Add(pair[true].Wall);
                cscWith.Add(pair[false].Csc);
                cscWithout.Add(pair[true].Csc);
            }

            // What the compiler itself reports for the generator and the analyzers (more builds with them).
            var reports = new List<List<string>>();
            for (var i = 0; i < ReportBuilds; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(dir, "src", "Touch.cs"), Touch(++touch));
                var report = await DotnetAsync(dir, ["build", "Bench.csproj", "--no-restore", "-p:BuildProjectReferences=false", "-p:ReportAnalyzer=true", "-v:d", pipe, .. Server]);
                reports.Add(ReportLine.Matches(report.Output).Select(m => m.Value.Trim()).Distinct().ToList());
            }
            return new Result(name, files.Count, wallWith, wallWithout, cscWith, cscWithout, reports, errors, warmWith, warmWithout);
        }
        finally
        {
            await ShutDownServerAsync(dir, pipe);
            if (keep)
                Console.Error.WriteLine("kept " + dir);
            else
                RunContext.TryDelete(dir);
        }
    }

    /// <summary>Stops the compiler server this run started (by its pipe name; no other server is touched).</summary>
    private static async Task ShutDownServerAsync(string dir, string pipe)
    {
        if (!File.Exists(Path.Combine(dir, "Bench.csproj")))
            return;
        var roslyn = (await DotnetAsync(dir, ["msbuild", "Bench.csproj", "-getProperty:RoslynTargetsPath"])).Output.Trim();
        var server = Path.Combine(roslyn, "bincore", "VBCSCompiler.dll");
        if (File.Exists(server))
            await DotnetAsync(dir, [server, "-shutdown", "-pipename:" + pipe[(pipe.IndexOf('=') + 1)..]]);
    }

    private static string Touch(int n) => $"internal static class BuildTouch {{ public const int Round = {n}; }}\n";

    private static string Project()
    {
        var root = RepoPaths.Root;
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{root}/src/AgentScript/buildTransitive/AgentScript.props" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
                <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                <NoWarn>$(NoWarn);CS1591;CS8321</NoWarn>
                <AgentScriptReadyToRun>false</AgentScriptReadyToRun>
                <EmitCompilerGeneratedFiles Condition="'$(EmitGen)' == 'true'">true</EmitCompilerGeneratedFiles>
                <CompilerGeneratedFilesOutputPath>gen</CompilerGeneratedFilesOutputPath>
                <GeneratorItem>Analyzer</GeneratorItem>
                <GeneratorItem Condition="'$(Without)' == 'true'">NotAnAnalyzer</GeneratorItem>
              </PropertyGroup>
              <ItemGroup>
                <Compile Include="src/*.cs" />
                <Compile Include="without/*.cs" Condition="'$(Without)' == 'true'" />
                <ProjectReference Include="{root}/src/AgentScript/AgentScript.csproj" />
                <!-- Both variants resolve the same references (same MSBuild work); only the compiler's analyzer list differs. -->
                <ProjectReference Include="{root}/src/AgentScript.Generators/AgentScript.Generators.csproj" OutputItemType="$(GeneratorItem)"
                                  ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """;
    }

    private static async Task<(int ExitCode, string Output)> DotnetAsync(string dir, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        foreach (var variable in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(variable);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, new StringBuilder().Append(await stdout).Append(await stderr).ToString());
    }

    private static string Tail(string output)
    {
        var lines = output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(3).ToList();
        return lines.Count > 0 ? string.Join(" | ", lines.Select(l => l.Trim())) : output[Math.Max(0, output.Length - 400)..];
    }
}
