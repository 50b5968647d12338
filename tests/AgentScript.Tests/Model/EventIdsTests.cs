using System.Collections.Concurrent;
using System.Globalization;
using AgentScript.Model;

namespace AgentScript.Tests.Model;

public sealed class EventIdsTests
{
    [Fact]
    public void An_id_is_a_version_7_guid_in_32_lower_case_hex_digits_stamped_with_the_current_millisecond()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = EventIds.New();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Matches("^[0-9a-f]{32}$", id);
        var guid = Guid.ParseExact(id, "N");
        Assert.Equal(7, guid.Version);
        Assert.Equal(0b10, guid.Variant >> 2);
        var stamp = long.Parse(id[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.InRange(stamp, before, after);
    }

    [Fact]
    public void Ids_are_unique_across_threads_and_later_milliseconds_sort_after_earlier_ones()
    {
        var all = new ConcurrentBag<string>();
        Parallel.For(0, 8, _ =>
        {
            var mine = new List<string>(50_000);
            for (var i = 0; i < 50_000; i++)
            {
                mine.Add(EventIds.New());
            }
            foreach (var id in mine)
            {
                all.Add(id);
            }
        });
        Assert.Equal(400_000, all.Distinct(StringComparer.Ordinal).Count());

        var first = EventIds.New();
        var start = Environment.TickCount64;
        while (Environment.TickCount64 - start < 5)
        {
            // Let the clock pass at least one millisecond.
        }
        var later = EventIds.New();
        Assert.True(string.CompareOrdinal(first, later) < 0, $"{first} should sort before {later}");
    }
}
