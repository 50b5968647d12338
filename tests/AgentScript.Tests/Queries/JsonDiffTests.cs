using AgentScript.Queries;

namespace AgentScript.Tests.Queries;

public sealed class JsonDiffTests
{
    [Fact]
    public void Objects_compare_by_key_and_arrays_by_index_with_values()
    {
        var (changes, truncated) = JsonDiff.Compare(
            """{"a":1,"b":{"c":[1,2,3],"d":"x"},"gone":true,"same":[{"k":1}]}""",
            """{"a":2,"b":{"c":[1,5],"d":"x","e":null},"same":[{"k":1}],"odd key":"v"}""");
        Assert.False(truncated);
        Assert.Equal(
        [
            new JsonChange("$.a", "changed", "1", "2"),
            new JsonChange("$.b.c[1]", "changed", "2", "5"),
            new JsonChange("$.b.c[2]", "removed", "3", null),
            new JsonChange("$.b.e", "added", null, "null"),
            new JsonChange("$.gone", "removed", "true", null),
            new JsonChange("$[\"odd key\"]", "added", null, "\"v\""),
        ], changes);
    }

    [Fact]
    public void Absent_responses_type_changes_and_plain_text()
    {
        Assert.Equal([new JsonChange("$", "added", null, "{\"x\":1}")], JsonDiff.Compare(null, """{"x":1}""").Changes);
        Assert.Empty(JsonDiff.Compare(null, null).Changes);
        Assert.Equal([new JsonChange("$", "changed", "[1]", "{\"0\":1}")], JsonDiff.Compare("[1]", """{"0":1}""").Changes);
        Assert.Equal([new JsonChange("$", "changed", "\"not json\"", "3")], JsonDiff.Compare("not json", "3").Changes);
        Assert.Empty(JsonDiff.Compare("""{"n":1.0}""", """{"n":1.0}""").Changes);
    }

    [Fact]
    public void Stops_at_the_change_budget_and_says_so()
    {
        var a = "[" + string.Join(",", Enumerable.Range(0, 50)) + "]";
        var b = "[" + string.Join(",", Enumerable.Range(100, 50)) + "]";
        var (changes, truncated) = JsonDiff.Compare(a, b, maxChanges: 10);
        Assert.Equal(10, changes.Count);
        Assert.True(truncated);
    }
}
