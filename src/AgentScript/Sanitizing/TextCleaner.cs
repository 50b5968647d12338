// Job: make one text value safe to store or print — secrets redacted, invalid UTF-16 and NUL replaced, length cut.
using System.Text;
using System.Text.RegularExpressions;

namespace AgentScript.Sanitizing;

/// <summary>
/// The text rule every stored or printed string goes through: secrets redacted (<see cref="SecretText"/>), then
/// strings longer than the limit keep head and tail around <c>...</c> (a base64 <c>data:image/…</c> URI keeps its header
/// and cuts its data), then lone surrogates and NUL become U+FFFD. Never throws.
/// </summary>
internal static partial class TextCleaner
{
    // A secret shorter than this that straddles a cut is still redacted whole before the cut is made.
    private const int CutSlack = 1024;

    [GeneratedRegex("^(data:image/[a-zA-Z+.-]+;base64,)", RegexOptions.CultureInvariant)]
    private static partial Regex DataUriHeader();

    /// <summary>The safe form of <paramref name="value"/> (null gives an empty string).</summary>
    public static string Clean(string? value, int maxLength, int maxDataUriLength, KnownSecrets secrets)
    {
        if (value is null)
        {
            return "";
        }
        try
        {
            var isDataUri = value.Length > 20 && value[0] == 'd' && value.StartsWith("data:image/", StringComparison.Ordinal);
            if (!isDataUri)
            {
                if (value.Length <= maxLength)
                {
                    value = SecretText.Redact(value, secrets);
                    // The common case: short, clean text is stored as it is, without allocating.
                    return IsClean(value) ? value : CleanText(value);
                }
                return CleanText(RedactedHeadTail(value, maxLength, secrets));
            }
            var match = DataUriHeader().Match(value);
            if (match.Success)
            {
                var header = match.Groups[1].Value;
                return CleanText(SecretText.Redact(header + HeadTail(value[header.Length..], maxDataUriLength), secrets));
            }
            return CleanText(RedactedHeadTail(value, maxLength, secrets));
        }
        catch (Exception)
        {
            return "<unprintable string>";
        }
    }

    /// <summary>Head and tail of a long text, each redacted with some slack around the cut so no secret is split by it.</summary>
    private static string RedactedHeadTail(string value, int max, KnownSecrets secrets)
    {
        var half = HalfOf(max);
        if (half <= 0)
        {
            return "...";
        }
        if (value.Length <= 2 * (half + CutSlack))
        {
            return HeadTail(SecretText.Redact(value, secrets), max);
        }
        var head = SecretText.Redact(value[..(half + CutSlack)], secrets);
        var tail = SecretText.Redact(value[^(half + CutSlack)..], secrets);
        return string.Concat(head.AsSpan(0, Math.Min(half, head.Length)), "...", tail.AsSpan(Math.Max(0, tail.Length - half)));
    }

    private static int HalfOf(int max) => max <= 0 ? 0 : Math.Max(1, max / 2);

    /// <summary>Seed 001's rule: longer than <paramref name="max"/> keeps head and tail around <c>...</c>.</summary>
    public static string HeadTail(string value, int max)
    {
        if (value.Length <= max)
        {
            return value;
        }
        var half = HalfOf(max);
        if (half <= 0)
        {
            return "...";
        }
        return string.Concat(value.AsSpan(0, half), "...", value.AsSpan(value.Length - half));
    }

    /// <summary>True when the text has no NUL and no surrogate at all (vectorised scans; pairs take the careful path).</summary>
    public static bool IsClean(ReadOnlySpan<char> text) => text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0 && !text.Contains('\0');

    /// <summary>Replaces lone UTF-16 surrogates and NUL with U+FFFD so the text is valid everywhere.</summary>
    public static string CleanText(string value)
    {
        var span = value.AsSpan();
        var surrogate = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        var nul = span.IndexOf('\0');
        if (surrogate < 0 && nul < 0)
        {
            return value;
        }
        // Everything before the first NUL or surrogate is fine; check carefully from there.
        var i = surrogate < 0 ? nul : nul < 0 ? surrogate : Math.Min(surrogate, nul);
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                break;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }
                break;
            }
            if (char.IsLowSurrogate(c))
            {
                break;
            }
        }
        if (i == value.Length)
        {
            return value;
        }
        var sb = new StringBuilder(value.Length);
        sb.Append(value, 0, i);
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                sb.Append('\uFFFD');
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                sb.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                sb.Append('\uFFFD');
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
