using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Tests.Queries;

public sealed class RunStallsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static LogEventRecord At(double seconds, string id) => new()
    {
        EventId = id,
        Timestamp = T0.AddSeconds(seconds),
        Level = LogLevels.Info,
        Message = id,
        Category = LogLevels.Info,
    };

    [Fact]
    public void Gaps_above_the_threshold_are_stalls_with_the_events_around_them()
    {
        var stalls = RunStalls.Find([At(0, "a"), At(1, "b"), At(40, "c"), At(41, "d"), At(100, "e")], TimeSpan.FromSeconds(30));
        Assert.Equal(2, stalls.Count);
        Assert.Equal(("b", "c", 39.0), (stalls[0].Before.EventId, stalls[0].After!.EventId, stalls[0].Gap.TotalSeconds));
        Assert.Equal(("d", "e", 59.0), (stalls[1].Before.EventId, stalls[1].After!.EventId, stalls[1].Gap.TotalSeconds));
        Assert.Empty(RunStalls.Find([At(0, "a"), At(30, "b")], TimeSpan.FromSeconds(30))); // exactly the threshold is not a stall
    }

    [Fact]
    public void Out_of_order_timestamps_are_measured_from_the_latest_time_seen()
    {
        // "c" was stamped before "b" by a racing thread: no gap between them, and none from c to d either.
        var stalls = RunStalls.Find([At(0, "a"), At(10, "b"), At(9, "c"), At(12, "d")], TimeSpan.FromSeconds(5));
        var stall = Assert.Single(stalls);
        Assert.Equal(("a", "b"), (stall.Before.EventId, stall.After!.EventId));
    }

    [Fact]
    public void Silence_of_a_live_run_and_threshold_validation()
    {
        var last = At(0, "last");
        Assert.Null(RunStalls.Silence(last, T0.AddSeconds(10), TimeSpan.FromSeconds(30)));
        var quiet = RunStalls.Silence(last, T0.AddSeconds(45), TimeSpan.FromSeconds(30));
        Assert.Equal(45, quiet!.Gap.TotalSeconds);
        Assert.Null(quiet.After);
        Assert.Throws<ArgumentOutOfRangeException>(() => RunStalls.Find([], TimeSpan.Zero));
    }

    [Fact]
    public void Keeps_the_longest_stalls_when_there_are_too_many()
    {
        var events = Enumerable.Range(0, RunStalls.MaxStalls * 3).Select(i => At(i * 100.0 + (i % 7), $"e{i}")).ToList();
        var stalls = RunStalls.Find(events, TimeSpan.FromSeconds(10));
        Assert.Equal(RunStalls.MaxStalls, stalls.Count);
        Assert.Equal(stalls.OrderBy(s => s.Before.Timestamp), stalls); // time order
        var all = events.Zip(events.Skip(1), (a, b) => b.Timestamp - a.Timestamp).OrderDescending().Take(RunStalls.MaxStalls).Min();
        Assert.All(stalls, s => Assert.True(s.Gap >= all));
    }
}
