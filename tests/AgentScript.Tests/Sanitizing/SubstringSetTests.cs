using AgentScript.Sanitizing;

namespace AgentScript.Tests.Sanitizing;

/// <summary>The trigger scan agrees with the plain definition: some value is a substring under the comparison.</summary>
public sealed class SubstringSetTests
{
    private static readonly string[] Triggers =
    [
        "pass", "pwd", "secret", "token", "key", "auth", "sig", "://", "bearer", "eyj", "sk-", "ghp_", "github_pat_", "-----begin",
    ];

    private static bool Naive(string text, string[] values, StringComparison comparison) =>
        values.Any(v => text.Contains(v, comparison));

    [Theory]
    [InlineData(StringComparison.OrdinalIgnoreCase)]
    [InlineData(StringComparison.Ordinal)]
    public void Agrees_with_contains_on_random_texts(StringComparison comparison)
    {
        var set = new SubstringSet(Triggers, comparison);
        // Pieces of triggers in both cases, their punctuation, and characters that fold onto ASCII letters or onto the
        // same table slot: the dotless ı and the long ſ (upper case I and S), the Kelvin sign, é, a surrogate pair.
        string[] pieces =
        [
            "pa", "ss", "PAS", "s", "wo", "rd", "tok", "en", "TOK", "ke", "y", "Ke", "au", "th", "si", "g", "SI", ":/", "/", "-",
            "sk", "gh", "p_", "ey", "j", "EYJ", "ı", "ſ", "\u212A", "é", "\uD83D\uDE00", "`", "@", " ", "x",
        ];
        var random = new Random(20261207);
        var matched = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            var expected = Naive(text, Triggers, comparison);
            Assert.True(expected == set.AnyIn(text), $"\"{text}\" ({comparison}): expected {expected}");
            matched += expected ? 1 : 0;
        }
        // The pieces make matches common enough that both answers are exercised.
        Assert.InRange(matched, 500, 19_500);
    }

    [Theory]
    [InlineData("my PASSWORD is", true)]
    [InlineData("Bearer abc", true)]
    [InlineData("https://host", true)]
    [InlineData("the sıgnature", false)] // dotless ı: not i, even ignoring case
    [InlineData("paſs", false)] // long s: not s, even ignoring case
    [InlineData("Tool web_search finished step 12 in 12.5 ms", false)]
    [InlineData("pa", false)]
    [InlineData("pas", false)]
    [InlineData("", false)]
    public void Finds_triggers_ignoring_case(string text, bool expected)
    {
        Assert.Equal(Naive(text, Triggers, StringComparison.OrdinalIgnoreCase), expected);
        Assert.Equal(expected, new SubstringSet(Triggers, StringComparison.OrdinalIgnoreCase).AnyIn(text));
    }

    [Fact]
    public void Ordinal_values_may_hold_any_character_and_match_only_exactly()
    {
        string[] values = ["s3cr€t-välue", "\uD83D\uDE00smile", "AbCdEf"];
        var set = new SubstringSet(values, StringComparison.Ordinal);
        Assert.True(set.AnyIn("x s3cr€t-välue y"));
        Assert.True(set.AnyIn("\uD83D\uDE00smile"));
        Assert.True(set.AnyIn("..AbCdEf"));
        Assert.False(set.AnyIn("abcdef"));
        Assert.False(set.AnyIn("s3cr€t-väluE"));
    }

    [Fact]
    public void Rejects_values_it_cannot_search_for()
    {
        Assert.Throws<ArgumentException>(() => new SubstringSet(["okay", "xy"], StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new SubstringSet(["välue"], StringComparison.OrdinalIgnoreCase));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SubstringSet(["okay"], StringComparison.CurrentCulture));
    }
}
