using System.Text;

namespace AgentScript.EndToEnd.Tests.Infrastructure;

/// <summary>A fenced code block of a Markdown file.</summary>
internal sealed record CodeBlock(string File, int Line, string Language, string Code)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>Reads fenced code blocks (```lang … ```) and splits shell command lines into arguments.</summary>
internal static class MarkdownBlocks
{
    public static IEnumerable<CodeBlock> Read(string root, string language)
    {
        foreach (var path in Directory.EnumerateFiles(root, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].TrimStart();
                if (!trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.Length == 3)
                {
                    continue;
                }
                var lang = trimmed[3..].Trim();
                var indent = lines[i].Length - trimmed.Length;
                var start = i + 1;
                var code = new StringBuilder();
                for (i = start; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
                {
                    // Blocks inside list items are indented; take the fence's indent off each line.
                    var line = lines[i];
                    var cut = Math.Min(indent, line.Length - line.TrimStart().Length);
                    code.AppendLine(line[cut..]);
                }
                if (string.Equals(lang, language, StringComparison.OrdinalIgnoreCase))
                {
                    yield return new CodeBlock(relative, start, lang, code.ToString());
                }
            }
        }
    }

    /// <summary>
    /// Splits one shell command line the way bash would for the simple forms the prompts use: words, "double"
    /// and 'single' quotes, and a trailing # comment.
    /// </summary>
    public static List<string> SplitCommandLine(string line)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$')
                {
                    current.Append(line[++i]);
                }
                else
                {
                    current.Append(c);
                }
                continue;
            }
            if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (quote != '\0')
        {
            throw new FormatException($"Unclosed quote in: {line}");
        }
        if (inWord)
        {
            args.Add(current.ToString());
        }
        return args;
    }
}
