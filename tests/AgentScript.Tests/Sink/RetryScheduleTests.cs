// Tests the backoff of the write path on a fake clock (no sleeping).
using AgentScript.Sink.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace AgentScript.Tests.Sink;

public sealed class RetryScheduleTests
{
    [Fact]
    public void Backoff_doubles_up_to_the_cap_warns_once_per_outage_and_resets_on_success()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var retry = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), clock);
        Assert.True(retry.IsDue);

        Assert.True(retry.NoteFailure("down"));
        Assert.Equal(TimeSpan.FromSeconds(1), retry.UntilDue);
        Assert.False(retry.NoteFailure("down"));
        Assert.Equal(TimeSpan.FromSeconds(2), retry.UntilDue);
        retry.NoteFailure("down");
        Assert.Equal(TimeSpan.FromSeconds(4), retry.UntilDue);
        retry.NoteFailure("still down");
        Assert.Equal(TimeSpan.FromSeconds(5), retry.UntilDue);
        Assert.Equal("still down", retry.LastError);
        Assert.Equal(clock.GetUtcNow(), retry.LastErrorAt);

        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(retry.IsDue);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(retry.IsDue);

        retry.NoteSuccess();
        Assert.Equal(0, retry.Failures);
        // A new outage is reported again, starting from the first delay.
        Assert.True(retry.NoteFailure("down again"));
        Assert.Equal(TimeSpan.FromSeconds(1), retry.UntilDue);
    }
}
