using System.Text.Json;
using System.Xml.Linq;
using AgentScript.EndToEnd.Tests.Infrastructure;

namespace AgentScript.EndToEnd.Tests;

/// <summary>Fast checks of the template sources that the slow end-to-end test would only catch late.</summary>
public sealed class TemplateContentTests
{
    private static string Content(params string[] parts) => Path.Combine([RepoPaths.Templates, "content", .. parts]);

    [Theory]
    [InlineData("agentscript")]
    [InlineData("agentscript-file")]
    public void Template_references_the_AgentScript_version_this_repository_builds(string template)
    {
        var props = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        var version = props.Descendants("Version").Single().Value;
        using var json = JsonDocument.Parse(File.ReadAllText(Content(template, ".template.config", "template.json")));
        var symbol = json.RootElement.GetProperty("symbols").GetProperty("AgentScriptVersion");
        Assert.Equal(version, symbol.GetProperty("defaultValue").GetString());
        Assert.Equal("AGENTSCRIPT_VERSION", symbol.GetProperty("replaces").GetString());
    }

    [Fact]
    public void Project_template_references_the_package_and_the_single_file_template_starts_with_the_package_directive()
    {
        var csproj = XDocument.Load(Content("agentscript", "MyAgentScript.csproj"));
        var reference = Assert.Single(csproj.Descendants("PackageReference"));
        Assert.Equal("AgentScript", reference.Attribute("Include")?.Value);
        Assert.Equal("AGENTSCRIPT_VERSION", reference.Attribute("Version")?.Value);

        var firstLine = File.ReadLines(Content("agentscript-file", "MyAgentScript.cs")).First();
        Assert.Equal("#:package AgentScript@AGENTSCRIPT_VERSION", firstLine);
    }

    [Theory]
    [InlineData("agentscript")]
    [InlineData("agentscript-file")]
    public void Script_shows_the_template_habits(string template)
    {
        var code = File.ReadAllText(Content(template, "MyAgentScript.cs"));
        Assert.Contains("// AGENT_INSTRUCTIONS", code);
        Assert.Contains("[AgentScript(\"working\"", code);
        Assert.Contains("[AgentScript(\"debug\"", code);
        Assert.Contains("[Traced]", code);
        Assert.Contains("AgentLog.Progress(", code);
        Assert.Contains("AgentLog.LogLearning", code);
        Assert.Contains("agentlog errors <execution-id>", code);
        Assert.DoesNotContain("Console.Write", code);
        // The header teaches build-then-run, so stdout is only ever the final response and a build failure is
        // told apart from a failed run; the stored response is read back exactly with --raw.
        var header = code[..code.IndexOf("using AgentScript;", StringComparison.Ordinal)];
        Assert.Contains("dotnet build", header);
        Assert.Contains("--no-build -- debug", header);
        Assert.Contains("--raw", header);
        Assert.DoesNotMatch(@"//\s+dotnet run(?! .*--no-build)[^\n]*#", header);
        // The debug entry records its learning once, not on every run.
        Assert.Contains("GetLearningsAsync", code);
        // The two variants share one body: only the header differs.
        var body = code[code.IndexOf("using AgentScript;", StringComparison.Ordinal)..];
        var other = File.ReadAllText(Content(template == "agentscript" ? "agentscript-file" : "agentscript", "MyAgentScript.cs"));
        Assert.Equal(body, other[other.IndexOf("using AgentScript;", StringComparison.Ordinal)..]);
    }
}
