// Job: redact the values of key=value, key: value and "key":"value" pairs whose key names a secret.
using System.Text;

namespace AgentScript.Sanitizing;

/// <summary>
/// One pass over a text from separator to separator (<c>=</c>, <c>:</c>): the word before it is the key; when the key
/// names a secret (<see cref="SecretText.IsSecretKey"/>), the value after it — quoted, or up to the next separator of
/// a connection string, query string or sentence, with an <c>Authorization</c> scheme word (<c>Bearer</c>, <c>Basic</c>…)
/// included — becomes <c>***</c>. No regular expression: this runs on every text that mentions a secret-like word.
/// </summary>
internal static class SecretPairs
{
    private static readonly string[] Schemes = ["bearer", "basic", "digest", "token", "negotiate"];

    /// <summary><paramref name="text"/> with the values of secret-named pairs redacted; the same instance when there are none.</summary>
    public static string Redact(string text)
    {
        StringBuilder? sb = null;
        var copied = 0;
        var pos = 0;
        while (pos < text.Length)
        {
            var rel = text.AsSpan(pos).IndexOfAny('=', ':');
            if (rel < 0)
            {
                break;
            }
            var sep = pos + rel;
            pos = sep + 1;
            if (!TryKey(text, sep, out var key) || !SecretText.IsSecretKey(key))
            {
                continue;
            }
            var (start, end) = ValueAfter(text, sep + 1);
            if (end <= start || text.AsSpan(start, end - start).SequenceEqual(SecretText.Redacted))
            {
                continue;
            }
            sb ??= new StringBuilder(text.Length);
            sb.Append(text, copied, start - copied).Append(SecretText.Redacted);
            copied = end;
            pos = end;
        }
        if (sb is null)
        {
            return text;
        }
        return sb.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The word just before the separator at <paramref name="sep"/> (skipping spaces and one closing quote).</summary>
    private static bool TryKey(string text, int sep, out string key)
    {
        var k = sep - 1;
        while (k >= 0 && text[k] == ' ')
        {
            k--;
        }
        if (k >= 0 && text[k] is '"' or '\'')
        {
            k--;
        }
        var keyEnd = k + 1;
        while (k >= 0 && (char.IsAsciiLetterOrDigit(text[k]) || text[k] is '_' or '-'))
        {
            k--;
        }
        var keyStart = k + 1;
        key = "";
        // A cheap filter before the name check allocates: every secret name ends with one of these letters.
        if (keyEnd - keyStart < 3 || char.ToLowerInvariant(text[keyEnd - 1]) is not ('d' or 'n' or 't' or 'y' or 'e' or 'g' or 'l' or 's'))
        {
            return false;
        }
        key = text.Substring(keyStart, keyEnd - keyStart);
        return true;
    }

    /// <summary>Where the value after a separator starts and ends (inside its quotes when quoted).</summary>
    private static (int Start, int End) ValueAfter(string text, int i)
    {
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }
        if (i < text.Length && text[i] is '"' or '\'')
        {
            var quote = text[i];
            var close = text.IndexOf(quote, i + 1);
            return close < 0 ? (i + 1, text.Length) : (i + 1, close);
        }
        var start = i;
        // "Authorization: Bearer abc": the scheme word belongs to the credential.
        foreach (var scheme in Schemes)
        {
            if (text.Length > i + scheme.Length && text.AsSpan(i, scheme.Length).Equals(scheme, StringComparison.OrdinalIgnoreCase) && text[i + scheme.Length] == ' ')
            {
                i += scheme.Length;
                while (i < text.Length && text[i] == ' ')
                {
                    i++;
                }
                break;
            }
        }
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (';' or '&' or ',' or '"' or '\'' or '<' or '>' or '}' or ']'))
        {
            i++;
        }
        return (start, i);
    }
}
