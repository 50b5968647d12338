namespace AgentScript.Cli.Tests.Support;

/// <summary>A temporary store with three runs: two of hello_agent (one ok, one failed) and one of other_script.</summary>
public sealed class SeededStore : IAsyncDisposable
{
    private SeededStore(TempStore store, SeededRun ok, SeededRun failed, SeededRun other)
    {
        Store = store;
        Ok = ok;
        Failed = failed;
        Other = other;
    }

    public TempStore Store { get; }
    /// <summary>hello_agent, success, with a final response.</summary>
    public SeededRun Ok { get; }
    /// <summary>hello_agent, failed, no final response.</summary>
    public SeededRun Failed { get; }
    /// <summary>other_script, success.</summary>
    public SeededRun Other { get; }

    public static async Task<SeededStore> CreateAsync()
    {
        var temp = new TempStore();
        await using var store = await temp.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        var failed = await Seed.RunAsync(store, "hello_agent", now.AddMinutes(-30), fail: true);
        var ok = await Seed.RunAsync(store, "hello_agent", now.AddMinutes(-20), uniqueWord: "zebracorn");
        var other = await Seed.RunAsync(store, "other_script", now.AddMinutes(-10));
        return new SeededStore(temp, ok, failed, other);
    }

    public Task<CliResult> RunAsync(params string[] args) => Store.RunAsync(args);

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
