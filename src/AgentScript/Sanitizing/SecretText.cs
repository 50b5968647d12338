// Job: find and redact secrets inside a text value (credentials in connection strings and URLs, tokens, known values).
using System.Text.RegularExpressions;

namespace AgentScript.Sanitizing;

/// <summary>
/// Redacts secrets by value, whatever name the value is stored under: <c>key=value</c> / <c>key: value</c> pairs whose
/// key names a secret (<see cref="SecretNames"/>; covers connection strings' <c>Password=</c>, <c>Pwd=</c>,
/// <c>AccountKey=</c>, <c>SharedAccessKey=</c>, query strings and <c>Authorization: …</c> headers), the password of
/// URL user info (<c>https://user:***@host</c>), <c>Bearer</c> tokens, widely used token formats (JWT, GitHub,
/// OpenAI/Anthropic, AWS access key ids, Slack, private-key PEM blocks) and the <see cref="KnownSecrets"/>.
/// </summary>
/// <remarks>
/// Called for every text value, so the common case is one scan for trigger substrings (<see cref="SubstringSet"/>);
/// the regular expressions run only on the rare text that contains one.
/// </remarks>
internal static partial class SecretText
{
    /// <summary>What a redacted secret is replaced with.</summary>
    public const string Redacted = "***";

    // Every pattern below starts with (or contains) one of these; text without any of them is left as it is.
    private static readonly SubstringSet Triggers = new(
        [
            "pass", "pwd", "secret", "token", "key", "auth", "credential", "cookie", "session", "sig",
            "://", "bearer", "eyj", "sk-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "akia", "asia", "xox", "-----begin",
        ],
        StringComparison.OrdinalIgnoreCase);

    // The same, per pattern: each pattern runs only when its own trigger is present.
    private static readonly SubstringSet NameTriggers = new(
        ["pass", "pwd", "secret", "token", "key", "auth", "credential", "cookie", "session", "sig"], StringComparison.OrdinalIgnoreCase);
    private static readonly SubstringSet TokenTriggers = new(SecretTokenFormats.Triggers, StringComparison.Ordinal);

    // scheme://user:password@host: the password goes, the user stays (it says whose credential it was).
    [GeneratedRegex("""(?<pre>\b[A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@"']*:)(?<pw>[^/\s@"']+)@""", RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    // A bearer token (has a digit or punctuation, so "the bearer of bad news" is prose, not a token).
    [GeneratedRegex("""(?<pre>\bbearer\s+)(?=[A-Za-z0-9._~+/\-]*[0-9._~+/\-])[A-Za-z0-9._~+/\-]{8,}=*""", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BearerToken();

    // Token formats: JWT, GitHub, OpenAI/Anthropic, AWS access key id, Slack, private-key PEM block.
    [GeneratedRegex(SecretTokenFormats.Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex TokenFormats();

    /// <summary>True when <paramref name="text"/> may hold a secret (a known value or a trigger of a pattern).</summary>
    public static bool MayContainSecret(ReadOnlySpan<char> text, KnownSecrets secrets) =>
        text.Length >= 3 && (Triggers.AnyIn(text) || secrets.AnyIn(text));

    /// <summary><paramref name="text"/> with every secret found replaced by <see cref="Redacted"/>; the same instance when none is found.</summary>
    public static string Redact(string text, KnownSecrets secrets)
    {
        if (text.Length < 3)
        {
            return text;
        }
        var original = text;
        var span = text.AsSpan();
        var known = secrets.AnyIn(span);
        var pattern = Triggers.AnyIn(span);
        if (known)
        {
            text = secrets.ReplaceIn(text, Redacted);
        }
        if (pattern)
        {
            if (TokenTriggers.AnyIn(text))
            {
                text = TokenFormats().Replace(text, Redacted);
            }
            if (text.Contains("://", StringComparison.Ordinal) && text.Contains('@', StringComparison.Ordinal))
            {
                text = UrlUserInfo().Replace(text, "${pre}" + Redacted + "@");
            }
            if (text.Contains("bearer", StringComparison.OrdinalIgnoreCase))
            {
                text = BearerToken().Replace(text, "${pre}" + Redacted);
            }
            if (text.AsSpan().IndexOfAny('=', ':') >= 0 && NameTriggers.AnyIn(text))
            {
                text = SecretPairs.Redact(text);
            }
        }
        // A pattern that matched nothing secret rebuilt an equal string: hand back the caller's instance.
        return ReferenceEquals(text, original) || !string.Equals(text, original, StringComparison.Ordinal) ? text : original;
    }

    /// <summary>Keys that hold secrets in connection strings and URLs but are no names of the shared list (<c>sig</c> of a SAS URL).</summary>
    internal static bool IsSecretKey(string key) =>
        SecretNames.IsSecretName(key) || key.Equals("sig", StringComparison.OrdinalIgnoreCase) || key.EndsWith("signature", StringComparison.OrdinalIgnoreCase);
}
