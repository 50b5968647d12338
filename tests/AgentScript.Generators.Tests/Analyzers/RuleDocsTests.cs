using System.Text.RegularExpressions;
using AgentScript.CodeFixes;
using AgentScript.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentScript.Generators.Tests.Analyzers;

/// <summary>Keeps docs/rules (pages and the README table) in step with the descriptors, the analyzers and the fixes.</summary>
public class RuleDocsTests
{
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Toolkit.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Toolkit.sln not found above " + AppContext.BaseDirectory);
    }

    private static string RulesDir => Path.Combine(RepositoryRoot(), "docs", "rules");

    private static IEnumerable<DiagnosticAnalyzer> Analyzers() =>
        typeof(EntryAnalyzer).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!);

    private static HashSet<string> FixableIds() =>
        typeof(ConsoleOutputCodeFix).Assembly.GetTypes()
            .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .SelectMany(p => p.FixableDiagnosticIds).ToHashSet();

    [Fact]
    public void Every_rule_has_a_help_link_to_an_existing_page_named_after_it()
    {
        foreach (var d in DiagnosticDescriptors.All)
        {
            Assert.StartsWith(DiagnosticDescriptors.HelpLinkBase, d.HelpLinkUri);
            var file = d.HelpLinkUri[DiagnosticDescriptors.HelpLinkBase.Length..];
            Assert.Equal(d.Id + ".md", file);
            var page = File.ReadAllText(Path.Combine(RulesDir, file));
            Assert.StartsWith("# " + d.Id + ": " + d.Title, page);
            foreach (var section in new[] { "## Why", "## Bad", "## Good", "## How to fix", "dotnet_diagnostic." + d.Id + ".severity" })
                Assert.Contains(section, page);
        }
    }

    [Fact]
    public void Every_page_belongs_to_a_rule()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToHashSet();
        var pages = Directory.GetFiles(RulesDir, "AGS*.md").Select(p => Path.GetFileNameWithoutExtension(p)).ToHashSet();
        Assert.Equal(ids.Order(), pages.Order());
    }

    [Fact]
    public void Readme_table_matches_the_descriptors_and_code_fixes()
    {
        var rows = File.ReadAllLines(Path.Combine(RulesDir, "README.md"))
            .Select(l => Regex.Match(l, @"^\| \[(AGS\d{3})\]\(\1\.md\) \| (\w+) \| (.+?) \| (yes|—) \|$"))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value);
        var fixable = FixableIds();
        Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id).Order(), rows.Keys.Order());
        foreach (var d in DiagnosticDescriptors.All)
        {
            var row = rows[d.Id];
            Assert.Equal(d.DefaultSeverity.ToString().ToLowerInvariant(), row.Groups[2].Value);
            Assert.Equal(d.Title.ToString(), row.Groups[3].Value);
            Assert.True((row.Groups[4].Value == "yes") == fixable.Contains(d.Id), d.Id + ": code fix column disagrees with the providers");
        }
    }

    [Fact]
    public void Ids_constants_descriptors_and_analyzers_agree()
    {
        var constants = typeof(DiagnosticIds).GetFields().Select(f => (string)f.GetValue(null)!).Order().ToList();
        // Ascending and unique; a gap is an id taken by a rule that lives on another branch until it is merged.
        Assert.Equal(constants.Order(StringComparer.Ordinal).Distinct(), constants);
        Assert.All(constants, c => Assert.Matches("^AGS0[0-9][0-9]$", c));
        Assert.Equal(constants, DiagnosticDescriptors.All.Select(d => d.Id).Order());
        var supported = Analyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToList();
        Assert.Equal(constants, supported.Distinct().Order());
        Assert.Equal(supported.Count, supported.Distinct().Count()); // each rule has exactly one analyzer
    }

    [Fact]
    public void Release_tracking_lists_every_rule_with_its_severity()
    {
        var unshipped = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "AgentScript.Generators", "Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var d in DiagnosticDescriptors.All)
            Assert.Matches(new Regex("^" + d.Id + @" \| " + Regex.Escape(d.Category) + @" \| " + d.DefaultSeverity + " \\|", RegexOptions.Multiline), unshipped);
    }

    [Fact]
    public void Messages_tell_what_to_do_next()
    {
        // Every message ends with an instruction (after ';' or ':'), not only a description of the problem.
        foreach (var d in DiagnosticDescriptors.All.Where(d => d.Id != DiagnosticIds.UntraceableMethod))
            Assert.Matches(@"[;:.] .*\b(add|use|give|move|remove|return|log|read|write|change|put|make)\b", d.MessageFormat.ToString().ToLowerInvariant());
    }
}
