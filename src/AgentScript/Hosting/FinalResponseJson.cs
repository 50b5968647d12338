using AgentScript.Sanitizing;
using AgentScript.Sink;

namespace AgentScript.Hosting;

/// <summary>
/// Serialises an entry's return value with the value writer and the final response's own limits
/// (<see cref="ValueLimits.Payload"/>): property names as declared, one line, cycles cut, NaN/Infinity as strings,
/// secrets redacted, and depth, size, element count and enumeration time bounded — a limit cuts the member where it
/// hit (a placeholder there), every other member is kept. Never throws.
/// </summary>
internal static class FinalResponseJson
{
    /// <summary>The JSON text of <paramref name="value"/> within <paramref name="limits"/> (default <see cref="ValueLimits.Payload"/>).</summary>
    public static string Serialize(object? value, Type? declaredType = null, ValueLimits? limits = null) =>
        ClrJson.ToJson(value, limits ?? ValueLimits.Payload);

    /// <summary>
    /// The JSON text of <paramref name="value"/>, and the first exception a lazy sequence in it threw while it was
    /// enumerated (the script's own code, run during writing): the host fails the entry with it.
    /// </summary>
    public static string Serialize(object? value, ValueLimits limits, out Exception? enumerationFailure) =>
        ClrJson.ToJson(value, limits, out enumerationFailure);
}
