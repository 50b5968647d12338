using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Tests.Support;

namespace AgentScript.Cli.Tests;

/// <summary>Long operations show progress on stderr only when it is a terminal.</summary>
public sealed class ProgressTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(SeededStore s, bool terminal, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AgentLogApp.RunAsync(args, new CliSettings
        {
            Out = stdout,
            Error = stderr,
            Environment = s.Store.Environment,
            WorkingDirectory = s.Store.Directory,
            OutIsTerminal = terminal,
            ErrorIsTerminal = terminal,
        }, TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Export_and_prune_show_progress_only_on_a_terminal()
    {
        await using var s = await SeededStore.CreateAsync();
        var file = Path.Combine(s.Store.Directory, "x.jsonl");
        var quiet = await RunAsync(s, terminal: false, "export", "-o", file);
        Assert.Equal(0, quiet.Code);
        Assert.Equal("", quiet.Err);
        var shown = await RunAsync(s, terminal: true, "export", "-o", file);
        Assert.Equal(0, shown.Code);
        Assert.Contains("Exporting events", shown.Err);

        Assert.Equal("", (await RunAsync(s, false, "prune", "--older-than", "30d", "--dry-run")).Err);
        Assert.Contains("Counting what would be pruned", (await RunAsync(s, true, "prune", "--older-than", "30d", "--dry-run")).Err);
    }
}
