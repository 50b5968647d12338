using System.Security.Cryptography;
using System.Text;

namespace AgentScript.Model;

/// <summary>Makes execution ids: <c>{script_name}_{yyyyMMdd_HHmmss}_{8 hex}</c>, valid as ArangoDB keys.</summary>
public static class ExecutionIds
{
    /// <summary>A new execution id for <paramref name="scriptName"/> started at <paramref name="startTime"/>.</summary>
    public static string Create(string scriptName, DateTimeOffset startTime)
    {
        Span<byte> random = stackalloc byte[4];
        RandomNumberGenerator.Fill(random);
        return $"{SafeName(scriptName)}_{startTime.UtcDateTime:yyyyMMdd_HHmmss}_{Convert.ToHexStringLower(random)}";
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
