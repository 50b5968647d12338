using System.Reflection;
using System.Text.RegularExpressions;
using AgentScript.Storage.Arango;

namespace AgentScript.Tests.Arango;

/// <summary>
/// A syntax check of every AQL text the store ships, without a server: a small tokenizer, then rules the server's
/// parser also enforces — brackets balanced and nested, strings closed, every upper-case word an AQL keyword, every
/// called function one of AQL's, every variable declared (FOR, LET, COLLECT, INTO, AGGREGATE, WITH COUNT INTO) or a
/// collection or view of the schema or a pseudo-variable, and the query ending in RETURN or a data-modification
/// operation. It does not check semantics (types, whether an index is used): docs/architecture.md lists what only a
/// live server verifies (scripts/arango-live-tests.sh).
/// </summary>
public sealed partial class AqlSyntaxTests
{
    private static readonly HashSet<string> Keywords =
    [
        "FOR", "IN", "FILTER", "SORT", "LIMIT", "RETURN", "LET", "COLLECT", "INTO", "WITH", "COUNT", "AGGREGATE", "SEARCH", "OPTIONS",
        "DESC", "ASC", "AND", "OR", "NOT", "NULL", "TRUE", "FALSE", "INSERT", "UPDATE", "REPLACE", "REMOVE", "UPSERT", "DISTINCT",
        "OUTBOUND", "INBOUND", "ANY", "GRAPH", "LIKE",
    ];

    // AQL functions the queries call (names from the AQL function reference of ArangoDB 3.12).
    private static readonly HashSet<string> Functions =
    [
        "ANALYZER", "TOKENS", "BM25", "REVERSE", "LENGTH", "FIRST", "MIN", "MAX", "CONCAT", "APPEND", "UNION_DISTINCT", "PARSE_IDENTIFIER",
        "DOCUMENT", "PERCENTILE", "SUBSTRING", "SUM", "KEEP", "NOT_NULL", "MERGE",
    ];

    private static readonly HashSet<string> Schema = ["log_events", "script_runs", "agent_learnings", "log_relations", "log_events_view"];
    private static readonly HashSet<string> PseudoVariables = ["OLD", "NEW", "CURRENT"];

    public static TheoryData<string> QueryNames() =>
        [.. typeof(AqlQueries).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => f.Name)];

    private static string Text(string name) => (string)typeof(AqlQueries).GetField(name)!.GetRawConstantValue()!;

    [GeneratedRegex("""\G(?:(?<ws>\s+)|(?<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?<bind>@@?[A-Za-z_][A-Za-z0-9_]*)|(?<num>\d+(?:\.\d+)?)|(?<id>[A-Za-z_][A-Za-z0-9_]*)|(?<op>==|!=|<=|>=|\.\.|\[\*|[-+*/%<>=!?:.,()\[\]{}]))""")]
    private static partial Regex Token();

    private static List<(string Kind, string Text)> Tokenize(string aql)
    {
        var tokens = new List<(string, string)>();
        var at = 0;
        while (at < aql.Length)
        {
            var m = Token().Match(aql, at);
            Assert.True(m.Success && m.Length > 0, $"unexpected text at {at}: '{aql[at..Math.Min(aql.Length, at + 20)]}' (an unclosed string?)");
            at += m.Length;
            var kind = new[] { "str", "bind", "num", "id", "op" }.FirstOrDefault(k => m.Groups[k].Success);
            if (kind is not null)
            {
                tokens.Add((kind, m.Value));
            }
        }
        return tokens;
    }

    /// <summary>Runs every check on one text; returns the problems found.</summary>
    internal static List<string> Check(string aql)
    {
        var problems = new List<string>();
        var tokens = Tokenize(aql);
        var stack = new Stack<char>();
        foreach (var (kind, text) in tokens.Where(t => t.Kind == "op"))
        {
            foreach (var c in text)
            {
                if (c is '(' or '[' or '{') stack.Push(c);
                if (c is ')' or ']' or '}')
                {
                    var open = c == ')' ? '(' : c == ']' ? '[' : '{';
                    if (stack.Count == 0 || stack.Pop() != open) problems.Add($"unbalanced '{c}'");
                }
            }
        }
        if (stack.Count > 0) problems.Add($"{stack.Count} bracket(s) left open");

        var declared = new HashSet<string>(Schema.Concat(PseudoVariables));
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            var (kind, text) = tokens[i];
            if (kind != "id") continue;
            if (text is "FOR" or "LET" or "INTO" || (text == "COLLECT" && tokens[i + 1].Kind == "id" && tokens[i + 1].Text is not ("WITH" or "AGGREGATE")))
            {
                declared.Add(tokens[i + 1].Text);
                if (text == "FOR" && tokens[i + 2].Text == ",") declared.Add(tokens[i + 3].Text);
            }
            if (text == "AGGREGATE" || (text == "COLLECT" && tokens[i + 1].Kind == "id"))
            {
                // COLLECT a = x, b = y / AGGREGATE a = MIN(x), b = MAX(y): each name before '=' at this level.
                for (var j = i + 1; j < tokens.Count - 1 && tokens[j].Text is not ("INTO" or "RETURN" or "SORT" or "FILTER" or "LET" or "AGGREGATE" or "WITH"); j++)
                {
                    if (tokens[j].Kind == "id" && tokens[j + 1].Text == "=") declared.Add(tokens[j].Text);
                }
            }
        }
        for (var i = 0; i < tokens.Count; i++)
        {
            var (kind, text) = tokens[i];
            if (kind != "id") continue;
            var next = i + 1 < tokens.Count ? tokens[i + 1].Text : "";
            var previous = i > 0 ? tokens[i - 1].Text : "";
            if (previous == ".") continue;                       // attribute access
            if (text.ToUpperInvariant() is "NULL" or "TRUE" or "FALSE") continue; // literals, any case
            if (next == ":" && previous is "{" or ",") continue; // object key
            if (next == "(")
            {
                if (!Functions.Contains(text) && !Keywords.Contains(text)) problems.Add($"unknown function {text}()");
                continue;
            }
            if (text.All(c => char.IsUpper(c) || c == '_' || char.IsDigit(c)) && !PseudoVariables.Contains(text))
            {
                if (!Keywords.Contains(text)) problems.Add($"unknown keyword {text}");
                continue;
            }
            if (previous is "FOR" or "LET" or "INTO" or "COLLECT" || next == "=") continue;
            if (!declared.Contains(text)) problems.Add($"undeclared variable {text}");
        }

        // The outermost statement ends in RETURN or a data-modification operation.
        var depth = 0;
        string? last = null;
        foreach (var (kind, text) in tokens)
        {
            if (text is "(" or "[" or "{" or "[*") depth++;
            if (text is ")" or "]" or "}") depth--;
            if (depth == 0 && kind == "id" && text is "RETURN" or "INSERT" or "UPDATE" or "REPLACE" or "REMOVE" or "UPSERT" or "FOR" or "LET" or "FILTER" or "SORT" or "LIMIT" or "COLLECT")
            {
                last = text;
            }
        }
        if (last is not ("RETURN" or "REMOVE" or "UPSERT" or "INSERT" or "UPDATE" or "REPLACE")) problems.Add($"the query ends with {last ?? "nothing"}, not RETURN or a data-modification operation");
        return problems;
    }

    [Theory]
    [MemberData(nameof(QueryNames))]
    public void Every_shipped_query_passes_the_syntax_check(string name)
    {
        Assert.Empty(Check(Text(name)));
        Assert.Empty(Check(AqlQueries.WithViewSync(Text(name))));
    }

    [Theory]
    [InlineData("FOR e IN log_events FILTER e.level == @l RETURN e", 0)]
    [InlineData("FOR e IN log_events FILTER (e.level == @l RETURN e", 1)]         // unbalanced
    [InlineData("FOR e IN log_events FILTR e.level == @l RETURN e", 1)]            // misspelt keyword
    [InlineData("FOR e IN log_events RETURN LENGHT(e)", 1)]                         // unknown function
    [InlineData("FOR e IN log_events RETURN x", 1)]                                 // undeclared variable
    [InlineData("FOR e IN log_events FILTER e.a == 1", 1)]                          // no RETURN
    [InlineData("FOR e IN log_events FILTER e.a == \"x RETURN e", 1)]               // unclosed string
    public void The_check_catches_the_mistakes_it_claims_to(string aql, int problems)
    {
        if (aql.Count(c => c == '"') % 2 == 1)
        {
            Assert.ThrowsAny<Exception>(() => Check(aql));
            return;
        }
        var found = Check(aql);
        if (problems == 0)
        {
            Assert.Empty(found);
        }
        else
        {
            Assert.True(found.Count >= problems, $"expected a problem in: {aql}");
        }
    }
}
