// Job: what can be told about an AQL text without a server (does it write? which bind parameters does it use?).
using System.Text.RegularExpressions;

namespace AgentScript.Storage.Arango;

/// <summary>Text-level facts about AQL, used to decide whether a query may be repeated after a lost answer.</summary>
internal static partial class AqlText
{
    [GeneratedRegex(@"\b(INSERT|UPDATE|REPLACE|REMOVE|UPSERT)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WriteKeyword();

    /// <summary>
    /// True when the text holds a data-modification keyword anywhere (even inside a string or a comment): erring
    /// towards "may write" only costs a retry, erring the other way could run a write twice.
    /// </summary>
    public static bool MayWrite(string aql) => WriteKeyword().IsMatch(aql);
}
