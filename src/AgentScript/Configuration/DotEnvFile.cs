using System.Text;

namespace AgentScript.Configuration;

/// <summary>
/// A small strict <c>.env</c> parser that only returns values (it never changes the process environment, and does
/// no <c>$VAR</c> interpolation, so a value means exactly what it says).
/// </summary>
/// <remarks>
/// Accepted lines: blank, <c># comment</c>, <c>KEY=value</c>, <c>export KEY=value</c>; values may be bare (an
/// unquoted <c> #</c> starts a comment), <c>'single quoted'</c> (literal) or <c>"double quoted"</c> (with
/// <c>\n \t \" \\</c> escapes, may span lines). Anything else is an error naming the file and line.
/// </remarks>
internal static class DotEnvFile
{
    public static Dictionary<string, string> Parse(string text, string fileName)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw Error(fileName, lineNo, "expected KEY=value");
            }
            var key = line[..eq].Trim();
            if (!IsValidKey(key))
            {
                throw Error(fileName, lineNo, $"'{key}' is not a valid variable name (letters, digits and _; not starting with a digit)");
            }
            var rest = line[(eq + 1)..].TrimStart();
            string value;
            if (rest.StartsWith('\''))
            {
                var end = rest.IndexOf('\'', 1);
                if (end < 0)
                {
                    throw Error(fileName, lineNo, "unterminated single-quoted value");
                }
                value = rest[1..end];
                EnsureOnlyComment(rest[(end + 1)..], fileName, lineNo);
            }
            else if (rest.StartsWith('"'))
            {
                // Double-quoted values may span lines; join following lines until the closing quote.
                var sb = new StringBuilder();
                var pos = 1;
                var current = rest;
                var closed = false;
                while (true)
                {
                    for (; pos < current.Length; pos++)
                    {
                        var c = current[pos];
                        if (c == '\\' && pos + 1 < current.Length)
                        {
                            pos++;
                            sb.Append(current[pos] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '"' => '"', '\\' => '\\', var o => o });
                        }
                        else if (c == '"')
                        {
                            closed = true;
                            EnsureOnlyComment(current[(pos + 1)..], fileName, i + 1);
                            break;
                        }
                        else
                        {
                            sb.Append(c);
                        }
                    }
                    if (closed)
                    {
                        break;
                    }
                    i++;
                    if (i >= lines.Length)
                    {
                        throw Error(fileName, lineNo, "unterminated double-quoted value");
                    }
                    sb.Append('\n');
                    current = lines[i].TrimEnd('\r');
                    pos = 0;
                }
                value = sb.ToString();
            }
            else
            {
                var hash = rest.IndexOf(" #", StringComparison.Ordinal);
                value = (hash >= 0 ? rest[..hash] : rest).Trim();
            }
            result[key] = value;
        }
        return result;
    }

    private static void EnsureOnlyComment(string tail, string fileName, int lineNo)
    {
        var t = tail.Trim();
        if (t.Length > 0 && t[0] != '#')
        {
            throw Error(fileName, lineNo, "unexpected text after the closing quote");
        }
    }

    private static bool IsValidKey(string key)
    {
        if (key.Length == 0 || char.IsAsciiDigit(key[0]))
        {
            return false;
        }
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '.')
            {
                return false;
            }
        }
        return true;
    }

    private static ConfigurationException Error(string fileName, int line, string problem) =>
        new($"{fileName}:{line}", $"Invalid .env file {fileName}, line {line}: {problem}. Expected lines like KEY=value, # comment, or blank lines.");
}
