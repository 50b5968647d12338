using System.Diagnostics;
using System.Text.Json;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;
using AgentScript.Sink;
using AgentScript.Tests.Hosting;

namespace AgentScript.Tests.Sanitizing;

/// <summary>
/// The final response is bounded like event values, with its own larger limits (<see cref="ValueLimits.Payload"/>):
/// a limit cuts the member where it hit and keeps every other one; stdout prints exactly the stored, bounded text;
/// the console echo is bounded per event.
/// </summary>
public sealed class FinalResponseBoundsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IEnumerable<int> Endless()
    {
        for (var i = 0; ; i++)
        {
            yield return i;
        }
    }

    private static object Deep(int depth)
    {
        object node = "bottom";
        for (var i = 0; i < depth; i++)
        {
            node = new List<object> { node };
        }
        return node;
    }

    private static async Task<(JsonElement Printed, ScriptRun Run, string Stdout)> RunAsync(HostTestEnvironment env, object response)
    {
        var manifest = new ScriptManifest("bounds", [new ScriptEntry("working", "Returns a hostile response.", _ => ValueTask.FromResult(EntryResult.From(response)))], "Bounds.");
        Assert.Equal(ExitCodes.Success, await ScriptHost.RunAsync([], manifest, env.HostOptions(Ct)).WaitAsync(TimeSpan.FromMinutes(2), Ct));
        await using var store = await env.OpenStoreAsync();
        var run = Assert.Single(await store.ListRunsAsync(new RunQuery(), Ct));
        var stdout = env.Stdout.ToString();
        // stdout is exactly the stored final response.
        Assert.Equal(run.FinalResponseJson + "\n", stdout);
        return (JsonDocument.Parse(stdout).RootElement.Clone(), run, stdout);
    }

    [Fact]
    public async Task An_endless_enumerable_stops_at_the_limit_with_a_cut_marker_and_the_other_members_are_kept()
    {
        await using var env = new HostTestEnvironment();
        var clock = Stopwatch.StartNew();
        var (printed, _, stdout) = await RunAsync(env, new { before = "kept", numbers = Endless(), after = 2 });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.StartsWith("[<at least ", printed.GetProperty("numbers").GetString());
        Assert.Equal("kept", printed.GetProperty("before").GetString());
        Assert.Equal(2, printed.GetProperty("after").GetInt32());
        Assert.True(stdout.Length < 10_000, $"{stdout.Length} chars");
    }

    [Fact]
    public async Task A_10000_deep_list_is_cut_at_the_depth_limit_and_the_other_members_are_kept()
    {
        await using var env = new HostTestEnvironment();
        var (printed, _, stdout) = await RunAsync(env, new { deep = Deep(10_000), name = "kept" });

        Assert.Equal("kept", printed.GetProperty("name").GetString());
        Assert.Contains($"<depth limit {ValueLimits.Payload.MaxDepth}>", stdout);
    }

    [Fact]
    public async Task A_50_MB_string_and_a_5_MB_byte_array_are_cut_on_stdout_and_in_the_store()
    {
        await using var env = new HostTestEnvironment();
        var (printed, run, stdout) = await RunAsync(env, new { text = new string('x', 50 * 1024 * 1024), bytes = new byte[5 * 1024 * 1024], name = "kept" });

        Assert.Equal("kept", printed.GetProperty("name").GetString());
        Assert.Equal($"<{5 * 1024 * 1024} bytes>", printed.GetProperty("bytes").GetString());
        var text = printed.GetProperty("text").GetString()!;
        Assert.True(text.Length <= ValueLimits.Payload.MaxStringLength + 3, $"{text.Length} chars");
        Assert.Contains("...", text);
        Assert.True(stdout.Length <= ValueLimits.Payload.MaxTotalBytes, $"{stdout.Length} chars on stdout");
        Assert.True(run.FinalResponseJson!.Length <= ValueLimits.Payload.MaxTotalBytes);
    }

    [Fact]
    public async Task A_huge_response_stays_within_the_total_size_limit()
    {
        await using var env = new HostTestEnvironment();
        // 9,000 strings of 10,000 characters: within the element and string limits, ten times over the size limit.
        var (_, _, stdout) = await RunAsync(env, Enumerable.Range(0, 9_000).Select(i => new string((char)('a' + i % 26), 10_000)).ToList());

        Assert.True(stdout.Length < ValueLimits.Payload.MaxTotalBytes + 20_000, $"{stdout.Length} chars on stdout");
        Assert.Contains("<size limit", stdout);
    }

    [Fact]
    public async Task The_console_echo_is_bounded_per_event()
    {
        await using var env = new HostTestEnvironment();
        var manifest = new ScriptManifest("bounds", [new ScriptEntry("working", "Logs a huge value.", ctx =>
        {
            ctx.Logger.Information("Huge {Value} end", new string('y', 2_000_000));
            return ValueTask.FromResult(EntryResult.None);
        })], "Bounds.");

        Assert.Equal(ExitCodes.Success, await ScriptHost.RunAsync([], manifest, env.HostOptions(Ct)));

        var line = Assert.Single(env.Stderr.ToString().Split('\n'), l => l.Contains("Huge", StringComparison.Ordinal));
        Assert.True(line.Length <= Sanitizing_ConsoleEchoMax + 2, $"{line.Length} chars");
        Assert.Contains("...", line);
    }

    private const int Sanitizing_ConsoleEchoMax = AgentScript.Sanitizing.ConsoleEcho.MaxEventChars;
}
