using System.Buffers.Binary;

namespace AgentScript.Model;

/// <summary>
/// Makes stable record ids (events, learnings, relations): a version-7 GUID as 32 lower-case hex digits —
/// time-ordered, unique without coordination, and a valid ArangoDB key.
/// </summary>
internal static class EventIds
{
    // Guid.CreateVersion7() asks the OS for 16 random bytes per id (about 1.5 µs here, a third of mapping an event).
    // The same layout from a per-thread buffer refilled 4 KB at a time costs a tenth. The bytes come from
    // Random.Shared (seeded from the OS per process), not RandomNumberGenerator: ids must be unique, not secret, and
    // RandomNumberGenerator loads OpenSSL, which costs a script 20–60 ms at start-up.
    [ThreadStatic]
    private static byte[]? t_random;
    [ThreadStatic]
    private static int t_used;

    /// <summary>A new id.</summary>
    public static string New()
    {
        var random = t_random;
        if (random is null || t_used + 10 > random.Length)
        {
            random = t_random ??= new byte[4096];
            Random.Shared.NextBytes(random);
            t_used = 0;
        }
        Span<byte> bytes = stackalloc byte[16];
        // RFC 9562 version 7: 48-bit Unix milliseconds, version nibble 7, 12 random bits, variant 10, 62 random bits.
        BinaryPrimitives.WriteInt64BigEndian(bytes, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16);
        random.AsSpan(t_used, 10).CopyTo(bytes[6..]);
        t_used += 10;
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(bytes);
    }
}
