using AgentScript.Cli.Commands;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Cli.Tests;

/// <summary>
/// A following tail on ArangoDB, where positions are writer clocks: an event stored after the tail passed its
/// position is still shown once (the store's answers here are hand-made positions, as two writer processes produce them).
/// </summary>
public sealed class TailWindowTests
{
    private static StreamedEvent Event(string id, long position) => new(position, new LogEventRecord
    {
        EventId = id,
        Timestamp = DateTimeOffset.UnixEpoch.AddTicks(position * 10),
        Level = "INFO",
        Message = id,
        Category = "INFO",
    });

    /// <summary>What the store answers for "positions after <paramref name="after"/>" once these events are stored.</summary>
    private static IEnumerable<StreamedEvent> After(IEnumerable<StreamedEvent> stored, long after) =>
        stored.Where(e => e.Position > after).OrderBy(e => e.Position);

    [Fact]
    public void An_event_stored_late_with_an_earlier_writer_clock_is_shown_once()
    {
        var window = TailWindow.For("arangodb");
        var stored = new List<StreamedEvent> { Event("a", 5_000_000), Event("b", 7_000_000) };
        var shown = new List<string>();
        void Poll()
        {
            foreach (var e in After(stored, window.ReadAfter))
            {
                if (window.Accept(e)) shown.Add(e.Event.EventId);
            }
            window.Trim();
        }

        Poll();
        // Process B's clock is 1 s behind A's: its event is stored now, with a position below the newest shown.
        stored.Add(Event("late", 6_000_000));
        stored.Add(Event("c", 8_000_000));
        Poll();
        Poll();

        Assert.Equal(["a", "b", "late", "c"], shown);
    }

    [Fact]
    public void Positions_in_commit_order_read_only_after_the_last_one()
    {
        var window = TailWindow.For("sqlite");
        window.Skip(10);
        Assert.Equal(10, window.ReadAfter);
        Assert.False(window.Accept(Event("old", 10)));
        Assert.True(window.Accept(Event("new", 11)));
        Assert.Equal(11, window.ReadAfter);
    }

    [Fact]
    public void An_event_older_than_the_window_is_not_shown_again_and_ids_are_forgotten_with_the_window()
    {
        var window = TailWindow.For("arangodb");
        Assert.True(window.Accept(Event("a", 1_000_000)));
        Assert.True(window.Accept(Event("b", 1_000_000 + TailWindow.ArangoLookback + 1)));
        window.Trim();
        // "a" fell out of the window: a store that still returned it would not get it shown a second time.
        Assert.False(window.Accept(Event("a", 1_000_000)));
        Assert.Equal(1_000_001, window.ReadAfter);
    }
}
