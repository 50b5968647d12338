using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;

namespace AgentScript.Generators.Tests.Analyzers;

/// <summary>
/// Offline references for the Roslyn test framework: the SDK's local net10.0 reference pack (falling back to the
/// running runtime's assemblies), plus AgentScript, Serilog and Microsoft.Data.Sqlite as a script project sees them.
/// </summary>
internal static class AnalyzerTestReferences
{
    public static ImmutableArray<MetadataReference> All { get; } = Build();

    private static ImmutableArray<MetadataReference> Build()
    {
        var paths = new List<string>();
        var runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        // .../dotnet/shared/Microsoft.NETCore.App/10.0.x/ → .../dotnet/packs/Microsoft.NETCore.App.Ref/<v>/ref/net10.0
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var refDir = Directory.Exists(packs)
            ? Directory.GetDirectories(packs).Select(d => Path.Combine(d, "ref", "net10.0")).Where(Directory.Exists)
                .OrderByDescending(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(d))), out var v) ? v : new Version(0, 0))
                .FirstOrDefault()
            : null;
        if (refDir != null)
        {
            paths.AddRange(Directory.GetFiles(refDir, "*.dll"));
        }
        else
        {
            var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            paths.AddRange(trusted.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll"));
        }
        paths.Add(typeof(AgentScriptAttribute).Assembly.Location);
        paths.Add(typeof(Serilog.Log).Assembly.Location);
        paths.Add(typeof(Microsoft.Data.Sqlite.SqliteCommand).Assembly.Location);
        return paths.Distinct(StringComparer.OrdinalIgnoreCase).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
