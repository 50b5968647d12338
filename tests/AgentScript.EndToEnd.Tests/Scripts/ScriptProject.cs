// Job: the project file of a throw-away script that uses the repository's runtime and generator as a package user would.
using AgentScript.EndToEnd.Tests.Infrastructure;

namespace AgentScript.EndToEnd.Tests.Scripts;

internal static class ScriptProject
{
    /// <summary>
    /// The build argument that takes the repository's projects as built by the test project's own build, instead of
    /// building them again: the tests' builds run in parallel, and several builds of the same project at once race on
    /// its restore and output files (NuGet: "project.assets.json already exists").
    /// </summary>
    public const string UseBuiltReferences = "-p:BuildProjectReferences=false";

    /// <summary>Writes <c>{name}.csproj</c> into <paramref name="directory"/>: the package's props, the runtime, the generator as an analyzer.</summary>
    public static Task WriteAsync(string directory, string name, bool warningsAsErrors, CancellationToken cancellationToken)
    {
        var src = Path.Combine(RepoPaths.Root, "src");
        return File.WriteAllTextAsync(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{src}/AgentScript/buildTransitive/AgentScript.props" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>{(warningsAsErrors ? "true" : "false")}</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{src}/AgentScript/AgentScript.csproj" />
                <ProjectReference Include="{src}/AgentScript.Generators/AgentScript.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """, cancellationToken);
    }
}
