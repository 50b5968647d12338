// Job: freeze the public surface of AgentScript.dll — any change must be reviewed and accepted on purpose.
using System.Runtime.CompilerServices;
using PublicApiGenerator;

namespace AgentScript.Tests.PublicApi;

/// <summary>
/// The public API of the runtime library, written by <c>PublicApiGenerator</c>, must equal the checked-in
/// <c>AgentScript.approved.txt</c>. A difference means a public type or member was added, removed or changed.
/// </summary>
public sealed class PublicApiTests
{
    private const string ApprovedFile = "AgentScript.approved.txt";
    private const string AcceptVariable = "AGENTSCRIPT_ACCEPT_PUBLIC_API";

    [Fact]
    public void The_public_api_of_AgentScript_matches_the_approved_file()
    {
        var actual = Normalize(typeof(AgentLog).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            IncludeAssemblyAttributes = false,
        }));
        var approvedPath = Path.Combine(SourceFolder(), ApprovedFile);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }
        var approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : "";

        Assert.True(approved == actual,
            $"The public API of AgentScript.dll differs from {approvedPath}. Public types and members are for script and " +
            "tool authors only: make new ones internal unless they need them (with XML docs). If the change is intended, " +
            $"accept it with `{AcceptVariable}=1 dotnet test tests/AgentScript.Tests --filter FullyQualifiedName~PublicApiTests` " +
            $"and commit the updated file. First difference: {FirstDifference(approved, actual)}");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";

    private static string FirstDifference(string approved, string actual)
    {
        var a = approved.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "(end of file)";
            var right = i < b.Length ? b[i] : "(end of file)";
            if (left != right)
            {
                return $"line {i + 1}: approved `{left.Trim()}`, built `{right.Trim()}`";
            }
        }
        return "none";
    }

    // The folder of this source file: the approved file lives next to it in the repository.
    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
