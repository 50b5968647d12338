using System.Text.Json;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Tests.Hosting;

/// <summary>
/// A lazily enumerated return value (an iterator entry, a LINQ query, a lazy member of the response) runs the script's
/// code while the response is written: an exception there is the entry's failure, recorded like any other, not a
/// successful run with an error placeholder as its response.
/// </summary>
public sealed class LazyResponseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IEnumerable<int> ThrowsAfterOne()
    {
        yield return 1;
        throw new InvalidOperationException("lazy step failed");
    }

    private static async Task<(int Exit, ScriptRun Run, HostTestEnvironment Env)> RunAsync(Func<object> response)
    {
        var env = new HostTestEnvironment();
        var manifest = new ScriptManifest("lazy", [new ScriptEntry("working", null, _ => ValueTask.FromResult(EntryResult.From(response())))]);
        var exit = await ScriptHost.RunAsync([], manifest, env.HostOptions(Ct)).WaitAsync(TimeSpan.FromMinutes(2), Ct);
        await using var store = await env.OpenStoreAsync();
        return (exit, Assert.Single(await store.ListRunsAsync(new RunQuery(), Ct)), env);
    }

    [Fact]
    public async Task An_iterator_that_throws_fails_the_run_with_its_exception_and_prints_no_response()
    {
        var (exit, run, env) = await RunAsync(() => ThrowsAfterOne());
        await using (env)
        {
            Assert.Equal(ExitCodes.Failed, exit);
            Assert.Equal(RunStatus.Failed, run.Status);
            Assert.Equal("System.InvalidOperationException", run.Error?.Type);
            Assert.Equal("lazy step failed", run.Error?.Message);
            // The stack names the iterator: the exception is the script's own, rethrown as it was.
            Assert.Contains(nameof(ThrowsAfterOne), run.Error?.StackTrace ?? "", StringComparison.Ordinal);
            Assert.Null(run.FinalResponseJson);
            Assert.Equal("", env.Stdout.ToString());
        }
    }

    [Fact]
    public async Task A_lazy_member_that_throws_fails_the_run_too()
    {
        var (exit, run, env) = await RunAsync(() => new { name = "x", items = new[] { 1, 0 }.Select(d => 10 / d) });
        await using (env)
        {
            Assert.Equal(ExitCodes.Failed, exit);
            Assert.Equal("System.DivideByZeroException", run.Error?.Type);
            Assert.Null(run.FinalResponseJson);
        }
    }

    [Fact]
    public async Task A_lazy_value_that_completes_is_the_response()
    {
        var (exit, run, env) = await RunAsync(() => new { items = Enumerable.Range(1, 3).Select(i => i * 2) });
        await using (env)
        {
            Assert.Equal(ExitCodes.Success, exit);
            using var json = JsonDocument.Parse(run.FinalResponseJson!);
            Assert.Equal([2, 4, 6], json.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetInt32()));
        }
    }
}
