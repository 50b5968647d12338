using System.Text;

namespace AgentScript.Model;

/// <summary>Makes execution ids: <c>{script_name}_{yyyyMMdd_HHmmss}_{8 hex}</c>, valid as ArangoDB keys.</summary>
internal static class ExecutionIds
{
    /// <summary>A new execution id for <paramref name="scriptName"/> started at <paramref name="startTime"/>.</summary>
    public static string Create(string scriptName, DateTimeOffset startTime)
    {
        // Random bits from a new GUID (the OS generator), not RandomNumberGenerator: that one loads OpenSSL, which cost
        // a script ~20-60 ms of start-up for 4 bytes that only need to be unpredictable enough to avoid collisions.
        Span<byte> random = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(random);
        return $"{SafeName(scriptName)}_{startTime.UtcDateTime:yyyyMMdd_HHmmss}_{Convert.ToHexStringLower(random[..4])}";
    }

    /// <summary>A script name reduced to characters allowed in a key (letters, digits, <c>_ - .</c>), at most 200 long.</summary>
    public static string SafeName(string scriptName)
    {
        var sb = new StringBuilder(scriptName.Length);
        foreach (var c in scriptName)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_');
        }
        if (sb.Length == 0)
        {
            sb.Append("script");
        }
        return sb.Length > 200 ? sb.ToString(0, 200) : sb.ToString();
    }
}
