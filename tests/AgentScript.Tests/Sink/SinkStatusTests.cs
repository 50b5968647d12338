using AgentScript.Sink;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Sink;

public sealed class SinkStatusTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_hand_written_status_json_reads_back_field_for_field(bool withError)
    {
        using var dir = new TempDirectory();
        var status = new SinkStatus
        {
            UpdatedAt = new DateTimeOffset(2026, 11, 24, 16, 59, 1, 123, TimeSpan.Zero),
            Pid = 4242,
            Store = withError ? "/data/agentlog.db" : null,
            Counters = new SinkCountersSnapshot(Received: 10, Stored: 7, Buffered: 3, Replayed: 2, DeadLettered: 1, Dropped: 4, Spilled: 5),
            BacklogFiles = 2,
            BacklogBytes = 12_345,
            DeadLetterBytes = 678,
            LastError = withError ? "the store is \"down\" \u2014 retrying" : null,
            LastErrorAt = withError ? new DateTimeOffset(2026, 11, 24, 16, 58, 0, TimeSpan.FromHours(1)) : null,
        };
        File.WriteAllBytes(Path.Combine(dir.Path, SinkStatus.FileName), status.ToUtf8Json());
        Assert.Equal(status, SinkStatus.TryRead(dir.Path));
    }
}
