using System.Text.Json;
using System.Text.RegularExpressions;
using AgentScript.Cli.Tests.Support;

namespace AgentScript.Cli.Tests;

/// <summary>The JSON field names agents rely on are exactly the ones docs/cli.md documents.</summary>
public sealed class DocumentedShapesTests
{
    internal static string Docs()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var path = Path.Combine(d.FullName, "docs", "cli.md");
            if (File.Exists(path) && File.Exists(Path.Combine(d.FullName, "Toolkit.sln")))
            {
                return File.ReadAllText(path);
            }
        }
        throw new InvalidOperationException("docs/cli.md not found above the test folder");
    }

    /// <summary>The top-level names listed after "- **Name**:" in the JSON shapes section (nested braces skipped).</summary>
    private static HashSet<string> Documented(string docs, string shape)
    {
        var m = Regex.Match(docs, $@"- \*\*{shape}\*\*: (?<list>[^-]+?)\.\r?\n", RegexOptions.Singleline);
        Assert.True(m.Success, $"shape {shape} not documented");
        var list = Regex.Replace(m.Groups["list"].Value, @"\{[^}]*\}", "");
        return list.Split(',').Select(x => x.Trim().Trim('`')).Where(x => x.Length > 0).ToHashSet();
    }

    private static HashSet<string> Keys(JsonElement o) => o.EnumerateObject().Select(p => p.Name).ToHashSet();

    [Fact]
    public async Task Event_run_learning_and_relation_fields_match_the_documentation()
    {
        var docs = Docs();
        await using var s = await SeededStore.CreateAsync();
        var show = (await s.RunAsync("show", s.Ok.ExecutionId, "--json")).Expect(0).Json();
        Assert.Equal(Documented(docs, "Event"), Keys(show.GetProperty("errors")[0]));
        Assert.Equal(Documented(docs, "Run"), Keys(show.GetProperty("run")));
        Assert.Equal(Documented(docs, "Learning"), Keys(show.GetProperty("learnings")[0]));
        Assert.Equal(Documented(docs, "Progress"), Keys(show.GetProperty("progress")[0]));
        var relation = (await s.RunAsync("relate", s.Failed.ExecutionId, s.Ok.ExecutionId, "--rationale",
            "The second run is the same input after the fix; documented here to check the relation's JSON shape.", "--json")).Expect(0).Json();
        Assert.Equal(Documented(docs, "Relation"), Keys(relation));
    }
}
