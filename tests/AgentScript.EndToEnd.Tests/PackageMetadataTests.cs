using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AgentScript.EndToEnd.Tests.Infrastructure;

namespace AgentScript.EndToEnd.Tests;

/// <summary>
/// Opens the .nupkg/.snupkg files of AgentScript, AgentScript.Cli and AgentScript.Templates packed with `dotnet pack`
/// (<see cref="RepositoryPackages"/>): what a public feed and its users expect (license, readme, repository and commit,
/// symbols, deterministic build).
/// </summary>
[Collection(RepositoryPackCollection.Name)]
public sealed partial class PackageMetadataTests(RepositoryPackages packages)
{
    [GeneratedRegex(@"^(https://|git@|ssh://)[^/]*(github\.com|gitlab\.com|dev\.azure\.com|visualstudio\.com|bitbucket\.org)[:/]", RegexOptions.IgnoreCase)]
    private static partial Regex HostedRemote();

    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public void Packing_leaves_the_repository_build_outputs_alone()
    {
        // Other tests build from and run these outputs in parallel (agentlog.dll, the generator, restore files).
        Assert.Empty(packages.RepositoryOutputsChanged);
    }

    [Fact]
    public async Task Packages_carry_license_readme_repository_symbols_and_a_deterministic_build()
    {
        var ct = TestContext.Current.CancellationToken;
        var feed = packages.Feed;
        var version = packages.Version;
        var env = ProcessRunner.CleanEnvironment(new Dictionary<string, string?>());
        var remote = await ProcessRunner.RunAsync("git", ["remote", "get-url", "origin"], RepoPaths.Root, env, TimeSpan.FromMinutes(1), ct);

        foreach (var id in new[] { "AgentScript", "AgentScript.Cli", "AgentScript.Templates" })
        {
            using var zip = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
            var nuspec = ReadNuspec(zip);
            XNamespace ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            var license = metadata.Element(ns + "license")!;
            Assert.Equal("expression", license.Attribute("type")?.Value);
            Assert.Equal("MIT", license.Value);
            Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
            Assert.NotNull(zip.GetEntry("README.md"));
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value));
            var repository = metadata.Element(ns + "repository")!;
            Assert.Equal("git", repository.Attribute("type")?.Value);
            Assert.StartsWith("https://", repository.Attribute("url")?.Value);
            // The commit comes from git through the SDK's SourceLink support.
            Assert.Matches(new Regex("^[0-9a-f]{40}$"), repository.Attribute("commit")?.Value ?? "");
        }

        foreach (var (id, dll) in new[] { ("AgentScript", "lib/net10.0/AgentScript.dll"), ("AgentScript.Cli", "tools/net10.0/any/agentlog.dll") })
        {
            using var zip = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
            using (var pe = new PEReader(Copy(zip.GetEntry(dll)!)))
            {
                Assert.Contains(pe.ReadDebugDirectory(), e => e.Type == DebugDirectoryEntryType.Reproducible);
            }
            using var symbols = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.snupkg"));
            var pdb = Assert.Single(symbols.Entries, e => e.FullName == Path.ChangeExtension(dll, ".pdb"));
            using var provider = MetadataReaderProvider.FromPortablePdbStream(Copy(pdb));
            var reader = provider.GetMetadataReader();
            Assert.True(reader.Documents.Count > 0);
            var hasSourceLink = reader.CustomDebugInformation.Select(reader.GetCustomDebugInformation).Any(c => reader.GetGuid(c.Kind) == SourceLinkKind);
            // SourceLink maps sources only for a remote on a hosting service it knows (GitHub, GitLab, Azure
            // Repos, Bitbucket); a clone of a local folder has a remote with no URL to map to.
            if (remote.ExitCode == 0 && HostedRemote().IsMatch(remote.StdOut.Trim()))
            {
                Assert.True(hasSourceLink, $"{id}: no SourceLink map in the symbols although the repository has a hosted remote.");
            }
        }
        Assert.False(File.Exists(Path.Combine(feed, $"AgentScript.Templates.{version}.snupkg")), "the templates package has no code, so no symbols");
    }

    private static XDocument ReadNuspec(ZipArchive zip)
    {
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    private static MemoryStream Copy(ZipArchiveEntry entry)
    {
        var memory = new MemoryStream();
        using (var s = entry.Open())
        {
            s.CopyTo(memory);
        }
        memory.Position = 0;
        return memory;
    }
}
