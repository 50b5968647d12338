// Job: writes and builds the programs the start-up section compares (plain console, no-op scripts, Native AOT).
using System.Runtime.InteropServices;
using System.Xml.Linq;
using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Startup;

/// <summary>One measured program: how it is labelled in the doc and the executable to start.</summary>
internal sealed record StartupProgram(string Key, string Label, string Exe, bool IsScript);

/// <summary>
/// The programs of the start-up section, each in its own folder under a temp directory isolated from the repository's
/// Directory.Build/Packages props: a plain console program, the no-op <c>[AgentScript]</c> script with the project
/// defaults, the same script with the template's start-up properties, and that one published Native AOT.
/// </summary>
internal static class StartupPrograms
{
    /// <summary>Runtime properties of the template that change start-up; copied from the template so the two never drift.</summary>
    private static readonly string[] StartupProperties =
        ["InvariantGlobalization", "TieredPGO", "TieredCompilation", "UseSystemResourceKeys", "ConcurrentGarbageCollection"];

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

    /// <summary>The template's start-up properties (name, value); empty when it sets none.</summary>
    public static IReadOnlyList<(string Name, string Value)> TemplateProperties()
    {
        var csproj = Path.Combine(RepoPaths.Root, "templates", "content", "agentscript", "MyAgentScript.csproj");
        var doc = XDocument.Load(csproj);
        return doc.Descendants()
            .Where(e => StartupProperties.Contains(e.Name.LocalName) && !e.HasElements)
            .Select(e => (e.Name.LocalName, e.Value.Trim()))
            .ToList();
    }

    /// <summary>Writes the plain program and builds it.</summary>
    public static StartupProgram Plain(string dir)
    {
        var projDir = Write(dir, "plain", "Program.cs", PlainProgram, "");
        Build(projDir, "plain console program");
        return new StartupProgram("plain", "plain console (`Main() => 0`)", Path.Combine(projDir, "out", "plain"), IsScript: false);
    }

    /// <summary>Writes the no-op script with <paramref name="properties"/> added to its project, and builds it.</summary>
    public static StartupProgram Script(string dir, string key, string label, IReadOnlyList<(string Name, string Value)> properties)
    {
        var projDir = Write(dir, key, "Script.cs", AgentProgram, ScriptItems(properties));
        Build(projDir, label);
        return new StartupProgram(key, label, Path.Combine(projDir, "out", key), IsScript: true);
    }

    /// <summary>
    /// Publishes the no-op script Native AOT (with <paramref name="properties"/>); null and a reason when it cannot
    /// be built here. Trim/AOT analysis warnings are counted: they mark code that may fail under AOT.
    /// </summary>
    public static (StartupProgram? Program, string Note) NativeAot(string dir, IReadOnlyList<(string Name, string Value)> properties)
    {
        const string key = "noopaot";
        var withAot = properties.Append(("PublishAot", "true")).ToList();
        var projDir = Write(dir, key, "Script.cs", AgentProgram, ScriptItems(withAot));
        var rid = RuntimeInformation.RuntimeIdentifier;
        Console.WriteLine("  publishing the no-op script Native AOT …");
        var publish = System.Diagnostics.Stopwatch.StartNew();
        var (code, output) = Shell.Run("dotnet", $"publish -c Release -r {rid} -o \"{Path.Combine(projDir, "out")}\" -nologo", projDir, timeoutMs: 1_200_000);
        publish.Stop();
        var warnings = output.Split('\n')
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"warning (IL\d{4})"))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToList();
        if (code != 0)
        {
            var firstError = output.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim() ?? $"exit code {code}";
            return (null, $"Native AOT publish failed: {firstError}");
        }
        // Warnings are reported once per call site and per build step; count distinct lines.
        var distinct = output.Split('\n').Where(l => l.Contains("warning IL", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().Count();
        var byCode = string.Join(", ", warnings.GroupBy(w => w).OrderBy(g => g.Key).Select(g => g.Key));
        // The publish time is what a script author would pay after every edit (the library was already built).
        var took = $"in {publish.Elapsed.TotalSeconds:0} s";
        var note = distinct == 0
            ? $"`dotnet publish -p:PublishAot=true` succeeded {took}, without trim/AOT warnings."
            : $"`dotnet publish -p:PublishAot=true` succeeded {took}, with {distinct} trim/AOT analysis warnings ({byCode}): code paths that may fail under AOT.";
        return (new StartupProgram(key, "no-op `[AgentScript]`, template settings, Native AOT", Path.Combine(projDir, "out", key), IsScript: true), note);
    }

    private static string ScriptItems(IReadOnlyList<(string Name, string Value)> properties)
    {
        var src = Path.Combine(RepoPaths.Root, "src");
        var props = string.Concat(properties.Select(p => $"    <{p.Name}>{p.Value}</{p.Name}>\n"));
        // The package's props come with it for package users (interceptor namespace, dependencies precompiled);
        // a project reference does not bring them, so import them as the sample does.
        return $"""
              <PropertyGroup>
            {props}  </PropertyGroup>
              <Import Project="{Path.Combine(src, "AgentScript", "buildTransitive", "AgentScript.props")}" />
              <ItemGroup>
                <ProjectReference Include="{Path.Combine(src, "AgentScript", "AgentScript.csproj")}" />
                <ProjectReference Include="{Path.Combine(src, "AgentScript.Generators", "AgentScript.Generators.csproj")}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            """;
    }

    private static string Write(string dir, string key, string sourceName, string source, string extra)
    {
        // Isolate the temp projects from any Directory.Build.props/packages above the temp folder.
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), "<Project />");
        var projDir = Path.Combine(dir, key);
        Directory.CreateDirectory(projDir);
        File.WriteAllText(Path.Combine(projDir, sourceName), source);
        File.WriteAllText(Path.Combine(projDir, key + ".csproj"), $"""
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
            """);
        return projDir;
    }

    private static void Build(string projDir, string what)
    {
        Console.WriteLine($"  building {what} …");
        var (code, output) = Shell.Run("dotnet", $"build -c Release -o \"{Path.Combine(projDir, "out")}\" -nologo -v q", projDir, timeoutMs: 900_000);
        if (code != 0)
        {
            var firstError = output.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim() ?? $"exit code {code}";
            throw new InvalidOperationException($"Building the {what} failed: {firstError}");
        }
    }
}
