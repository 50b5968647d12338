using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Cli.Mcp;

namespace AgentScript.Cli.Tests;

/// <summary>The size cap of MCP results, and the redaction pass, on hand-made results.</summary>
public sealed class McpResultFitterTests
{
    private static JsonObject Runs(int n, int textLength) => new()
    {
        ["count"] = n,
        ["runs"] = new JsonArray(Enumerable.Range(0, n).Select(i => (JsonNode?)new JsonObject { ["i"] = i, ["text"] = new string('x', textLength) }).ToArray()),
    };

    [Fact]
    public void A_page_that_fits_is_returned_whole_with_the_next_cursor()
    {
        var fit = JsonNode.Parse(new McpResultFitter(10_000).Fit(Runs(30, 10), "runs", cursor: 5, limit: 10))!;
        Assert.Equal(Enumerable.Range(5, 10), fit["runs"]!.AsArray().Select(r => r!["i"]!.GetValue<int>()));
        Assert.Equal("15", fit["more"]!["next_cursor"]!.GetValue<string>());
        Assert.Equal(10, fit["count"]!.GetValue<int>());
        var last = JsonNode.Parse(new McpResultFitter(10_000).Fit(Runs(30, 10), "runs", cursor: 25, limit: 10))!;
        Assert.Null(last["more"]);
    }

    [Fact]
    public void A_page_over_the_cap_is_shortened_and_the_cursor_points_at_the_first_item_left_out()
    {
        var text = new McpResultFitter(2_000).Fit(Runs(30, 300), "runs", cursor: 0, limit: 20);
        Assert.True(text.Length <= 2_000, text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var fit = JsonNode.Parse(text)!;
        var shown = fit["runs"]!.AsArray().Count;
        Assert.InRange(shown, 1, 19);
        Assert.Equal(shown.ToString(System.Globalization.CultureInfo.InvariantCulture), fit["more"]!["next_cursor"]!.GetValue<string>());
    }

    [Fact]
    public void Other_arrays_are_halved_then_strings_cut_and_both_are_reported()
    {
        var doc = new JsonObject
        {
            ["run"] = new JsonObject { ["message"] = new string('m', 5_000) },
            ["events"] = new JsonArray(Enumerable.Range(0, 40).Select(i => (JsonNode?)new JsonObject { ["i"] = i, ["m"] = new string('e', 100) }).ToArray()),
        };
        var text = new McpResultFitter(2_000).Fit(doc, null, 0, 20);
        Assert.True(text.Length <= 2_000);
        var fit = JsonNode.Parse(text)!;
        Assert.Equal(40, fit["events"]!.AsArray().Count + fit["omitted_items"]!["events"]!.GetValue<int>());
        Assert.True(fit["truncated_values"]!.GetValue<bool>());
        Assert.Contains("...", fit["run"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public void Secret_properties_and_diff_paths_are_redacted_but_the_runs_own_fields_are_not()
    {
        var node = JsonNode.Parse("""
            {"rows":[{"api_key":"k-1","Password":"p","token_count":3,"nested":{"authorization":"Bearer x"}}],
             "run":{"session_id":"s-1"},
             "response_changes":[{"path":"$.client_secret","kind":"changed","before":"a","after":"b"},{"path":"$.n","kind":"changed","before":1,"after":2}]}
            """)!;
        McpRedaction.Apply(node);
        var row = node["rows"]![0]!;
        Assert.Equal("***", row["api_key"]!.GetValue<string>());
        Assert.Equal("***", row["Password"]!.GetValue<string>());
        Assert.Equal(3, row["token_count"]!.GetValue<int>());
        Assert.Equal("***", row["nested"]!["authorization"]!.GetValue<string>());
        Assert.Equal("s-1", node["run"]!["session_id"]!.GetValue<string>());
        Assert.Equal("***", node["response_changes"]![0]!["before"]!.GetValue<string>());
        Assert.Equal(2, node["response_changes"]![1]!["after"]!.GetValue<int>());
        Assert.DoesNotContain("k-1", node.ToJsonString());
    }

    [Fact]
    public void Tool_arguments_are_checked_and_mapped_to_the_command_line()
    {
        var search = McpToolCatalog.Find("search")!;
        var (args, cursor, limit) = search.BuildArgs(new Dictionary<string, JsonElement>
        {
            ["text"] = JsonSerializer.SerializeToElement("timeout"),
            ["level"] = JsonSerializer.SerializeToElement("ERROR"),
            ["exhaustive"] = JsonSerializer.SerializeToElement(true),
            ["limit"] = JsonSerializer.SerializeToElement(5),
            ["cursor"] = JsonSerializer.SerializeToElement("10"),
        });
        Assert.Equal(["search", "timeout", "--level", "ERROR", "--exhaustive", "--limit", "16", "--json"], args);
        Assert.Equal((10, 5), (cursor, limit));
        var missing = Assert.Throws<McpArgumentException>(() => search.BuildArgs(null));
        Assert.StartsWith("Missing required argument 'text' (string) for search", missing.Message);
        var unknown = Assert.Throws<McpArgumentException>(() => search.BuildArgs(new Dictionary<string, JsonElement> { ["txt"] = JsonSerializer.SerializeToElement("x") }));
        Assert.StartsWith("Unknown argument 'txt' for search.", unknown.Message);
        var query = McpToolCatalog.Find("query")!.BuildArgs(new Dictionary<string, JsonElement>
        {
            ["query"] = JsonSerializer.SerializeToElement("SELECT @n, @s"),
            ["parameters"] = JsonSerializer.SerializeToElement(new { n = 10, s = "10" }),
        }).Args;
        Assert.Equal(["query", "SELECT @n, @s", "--param", "n=10", "--param", "s='10'", "--json"], query);
        Assert.DoesNotContain("--write", query);
    }
}
