using System.Text.Json;
using AgentScript.Sink;
using Serilog.Events;

namespace AgentScript.Tests.Sanitizing;

public sealed class ValueSanitizerTests
{
    private static readonly ValueLimits Small = new() { MaxStringLength = 10, MaxDataUriLength = 8, MaxListElements = 3, MaxDepth = 3, MaxProperties = 5 };

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Shared_nodes_that_expand_exponentially_stay_within_the_size_budget()
    {
        // Each level holds the level below twice: 2^40 leaves when written as a tree, no cycle anywhere.
        object node = new string('x', 100);
        for (var i = 0; i < 40; i++)
        {
            node = new List<object> { node, node };
        }
        var limits = ValueLimits.Properties with { MaxDepth = 64 };

        var json = ValueSanitizer.ToJson(node, limits);

        Assert.True(json.Length < limits.MaxTotalBytes + 10_000, $"{json.Length} chars");
        Assert.Contains("<size limit", json);
        Parse(json);
    }

    [Fact]
    public void Long_strings_keep_head_and_tail_around_dots_as_seed_001()
    {
        Assert.Equal("abcde...vwxyz", ValueSanitizer.TruncateString("abcdefghijklmnopqrstuvwxyz", Small));
        Assert.Equal("short", ValueSanitizer.TruncateString("short", Small));
        Assert.Equal("0123456789", ValueSanitizer.TruncateString("0123456789", Small));
        Assert.Equal("a...z", ValueSanitizer.TruncateString("abcdefz", new ValueLimits { MaxStringLength = 1 }));
    }

    [Fact]
    public void Base64_data_uris_keep_their_header_and_truncate_the_data()
    {
        var data = new string('A', 500) + "END";
        Assert.Equal("data:image/png;base64,AAAA...AEND", ValueSanitizer.TruncateString("data:image/png;base64," + data, Small));
        Assert.Equal("data:image/svg+xml;base64,abc", ValueSanitizer.TruncateString("data:image/svg+xml;base64,abc", Small));
        // Not an image data URI: the generic rule applies.
        Assert.Equal("data:...AAEND", ValueSanitizer.TruncateString("data:text/plain;base64," + data, Small));
    }

    [Fact]
    public void Lists_longer_than_the_limit_become_a_summary()
    {
        var json = Parse(ValueSanitizer.ToJson(new { embedding = new double[1536], names = new[] { "a", "b", "c", "d" }, few = new[] { 1, 2 } }, Small));
        Assert.Equal("[<1536 number elements>]", json.GetProperty("embedding").GetString());
        Assert.Equal("[<4 string elements>]", json.GetProperty("names").GetString());
        Assert.Equal(2, json.GetProperty("few").GetArrayLength());
    }

    [Fact]
    public void Dictionaries_are_sanitised_recursively()
    {
        var value = new Dictionary<string, object?>
        {
            ["outer"] = new Dictionary<string, object?> { ["text"] = new string('x', 100), ["n"] = 5 },
            ["list"] = new List<object?> { new Dictionary<string, object?> { ["deep"] = new string('y', 50) } },
        };
        var json = Parse(ValueSanitizer.ToJson(value, Small));
        Assert.Equal("xxxxx...xxxxx", json.GetProperty("outer").GetProperty("text").GetString());
        Assert.Equal(5, json.GetProperty("outer").GetProperty("n").GetInt32());
        Assert.Equal("yyyyy...yyyyy", json.GetProperty("list")[0].GetProperty("deep").GetString());
    }

    [Theory]
    [InlineData("password")]
    [InlineData("Password")]
    [InlineData("db_password")]
    [InlineData("token")]
    [InlineData("access_token")]
    [InlineData("secret")]
    [InlineData("client-secret")]
    [InlineData("api_key")]
    [InlineData("apikey")]
    [InlineData("X-Api-Key")]
    [InlineData("Authorization")]
    [InlineData("cookie")]
    [InlineData("Set-Cookie")]
    [InlineData("connection_string")]
    [InlineData("ConnectionString")]
    public void Secret_keys_are_redacted(string key)
    {
        Assert.True(ValueSanitizer.IsSecretKey(key));
        var json = Parse(ValueSanitizer.ToJson(new Dictionary<string, object?> { [key] = "hunter2", ["user"] = "bob" }));
        Assert.Equal("***", json.GetProperty(key).GetString());
        Assert.Equal("bob", json.GetProperty("user").GetString());
    }

    [Fact]
    public void Every_secret_suffix_is_recognised_in_any_case_with_separators_and_trailing_punctuation()
    {
        string[] suffixes = ["password", "passwd", "pwd", "token", "secret", "apikey", "authorization", "cookie", "connectionstring", "privatekey", "credential", "credentials", "passphrase", "sessionid"];
        foreach (var suffix in suffixes)
        {
            var spaced = string.Join("_", suffix.ToCharArray());
            foreach (var key in new[] { suffix, suffix.ToUpperInvariant(), "my-" + suffix, "X" + spaced + "__", new string('q', 100_000) + suffix + "!" })
            {
                Assert.True(ValueSanitizer.IsSecretKey(key), key.Length > 60 ? suffix + " after 100,000 characters" : key);
            }
            // Not a suffix: something after it that is a letter or digit.
            Assert.False(ValueSanitizer.IsSecretKey(suffix + "s1"), suffix + "s1");
        }
        foreach (var key in new[] { "", "___", "Step", "ToolName", "ElapsedMs", "Count", "wordpass", "tokenized", "é" })
        {
            Assert.False(ValueSanitizer.IsSecretKey(key), key);
        }
    }

    [Theory]
    [InlineData("prompt_tokens")]
    [InlineData("TokenCount")]
    [InlineData("max_tokens")]
    [InlineData("user")]
    public void Ordinary_keys_that_mention_tokens_are_kept(string key) => Assert.False(ValueSanitizer.IsSecretKey(key));

    [Fact]
    public void Secrets_are_redacted_in_objects_json_and_serilog_structures()
    {
        var poco = Parse(ValueSanitizer.ToJson(new { Name = "n", ApiKey = "k-123" }));
        Assert.Equal("***", poco.GetProperty("ApiKey").GetString());

        var json = Parse(ValueSanitizer.SanitizeJson("""{"auth":{"token":"abc"},"x":1}"""));
        Assert.Equal("***", json.GetProperty("auth").GetProperty("token").GetString());

        var structure = new StructureValue([new LogEventProperty("Password", new ScalarValue("p")), new LogEventProperty("Login", new ScalarValue("l"))]);
        var serilog = Parse(ValueSanitizer.SerilogValueToJson(structure));
        Assert.Equal("***", serilog.GetProperty("Password").GetString());
        Assert.Equal("l", serilog.GetProperty("Login").GetString());
    }

    [Fact]
    public void Cycles_are_cut()
    {
        var a = new Dictionary<string, object?> { ["name"] = "a" };
        a["self"] = a;
        var list = new List<object?> { 1 };
        list.Add(list);
        var json = Parse(ValueSanitizer.ToJson(new Dictionary<string, object?> { ["a"] = a, ["l"] = list }));
        Assert.Equal("<cycle>", json.GetProperty("a").GetProperty("self").GetString());
        Assert.Equal("<cycle>", json.GetProperty("l")[1].GetString());

        var node = new Node { Name = "root" };
        node.Next = node;
        var poco = Parse(ValueSanitizer.ToJson(node));
        Assert.Equal("root", poco.GetProperty("Name").GetString());
    }

    private sealed class Node
    {
        public string? Name { get; set; }
        public Node? Next { get; set; }
    }

    [Fact]
    public void Depth_is_cut()
    {
        object value = "leaf";
        for (var i = 0; i < 10; i++)
        {
            value = new Dictionary<string, object?> { ["d"] = value };
        }
        var text = ValueSanitizer.ToJson(value, Small);
        Assert.Contains("<depth limit 3>", text);
        Assert.DoesNotContain("leaf", text);
        var fromJson = ValueSanitizer.SanitizeJson(JsonSerializer.Serialize(value), Small);
        Assert.Contains("<depth limit 3>", fromJson);
    }

    private sealed class ThrowingGetter
    {
        public string Fine => "ok";
        public string Bad => throw new InvalidOperationException("getter failed");
    }

    private sealed class ThrowingToString
    {
        public override string ToString() => throw new InvalidOperationException("no text");
    }

    [Fact]
    public void Unserialisable_values_become_a_placeholder()
    {
        var json = Parse(ValueSanitizer.ToJson(new Dictionary<string, object?>
        {
            ["getter"] = new ThrowingGetter(),
            ["callback"] = new Action(() => { }),
            ["stream"] = new MemoryStream(),
            ["ok"] = 1,
        }));
        Assert.Equal("ok", json.GetProperty("getter").GetProperty("Fine").GetString());
        Assert.StartsWith("<unserialisable", json.GetProperty("getter").GetProperty("Bad").GetString());
        Assert.StartsWith("<unserialisable Action", json.GetProperty("callback").GetString());
        Assert.StartsWith("<unserialisable MemoryStream", json.GetProperty("stream").GetString());
        Assert.Equal(1, json.GetProperty("ok").GetInt32());

        var scalar = Parse(ValueSanitizer.SerilogValueToJson(new ScalarValue(new ThrowingToString())));
        Assert.Contains("ToString() threw", scalar.GetString());
    }

    [Fact]
    public void NaN_infinity_lone_surrogates_and_nul_are_made_safe()
    {
        var text = ValueSanitizer.ToJson(new Dictionary<string, object?>
        {
            ["nan"] = double.NaN,
            ["inf"] = double.PositiveInfinity,
            ["neg"] = float.NegativeInfinity,
            ["lone"] = "a\uD800b",
            ["nul"] = "x\0y",
            ["pair"] = "😀",
        });
        var json = Parse(text);
        Assert.Equal("NaN", json.GetProperty("nan").GetString());
        Assert.Equal("Infinity", json.GetProperty("inf").GetString());
        Assert.Equal("-Infinity", json.GetProperty("neg").GetString());
        Assert.Equal("a\uFFFDb", json.GetProperty("lone").GetString());
        Assert.Equal("x\uFFFDy", json.GetProperty("nul").GetString());
        Assert.Equal("😀", json.GetProperty("pair").GetString());

        Assert.Equal("a\uFFFD", ValueSanitizer.TruncateString("a\uDC00"));
    }

    [Fact]
    public void Invalid_json_payloads_are_kept_as_a_truncated_string()
    {
        var json = Parse(ValueSanitizer.SanitizeJson("{not json" + new string('z', 100), Small));
        Assert.Equal(JsonValueKind.String, json.ValueKind);
        Assert.Equal("{not ...zzzzz", json.GetString());
    }

    [Fact]
    public void Objects_with_too_many_keys_keep_the_first_and_count_the_rest()
    {
        var dict = Enumerable.Range(0, 9).ToDictionary(i => "k" + i, i => (object?)i);
        var json = Parse(ValueSanitizer.ToJson(dict, Small));
        Assert.Equal(6, json.EnumerateObject().Count());
        Assert.Equal("4 more keys", json.GetProperty("<truncated>").GetString());
    }

    [Fact]
    public void The_payload_limits_are_much_larger_than_the_property_limits()
    {
        var big = new string('p', 50_000);
        Assert.Equal(big.Length, ValueSanitizer.TruncateString(big, ValueLimits.Payload).Length);
        Assert.True(ValueSanitizer.TruncateString(big, ValueLimits.Properties).Length < 3000);
        Assert.True(ValueLimits.Payload.MaxListElements > ValueLimits.Properties.MaxListElements * 10);
    }

    [Fact]
    public void Memory_of_chars_is_its_text_and_memory_of_bytes_is_base64_like_an_array()
    {
        // They were written member by member: {"Length":2,"IsEmpty":false,"Span":"<unserialisable …>"}, the content lost.
        var json = Parse(ValueSanitizer.ToJson(new
        {
            text = "ab".AsMemory(),
            writable = new[] { 'c', 'd' }.AsMemory(),
            bytes = new ReadOnlyMemory<byte>([1, 2, 3]),
            slice = new byte[] { 9, 1, 2, 3, 9 }.AsMemory(1, 3),
        }));
        Assert.Equal("ab", json.GetProperty("text").GetString());
        Assert.Equal("cd", json.GetProperty("writable").GetString());
        Assert.Equal(Convert.ToBase64String([1, 2, 3]), json.GetProperty("bytes").GetString());
        Assert.Equal(Convert.ToBase64String([1, 2, 3]), json.GetProperty("slice").GetString());
    }

    [Fact]
    public void Never_throws_on_hostile_enumerables()
    {
        var text = ValueSanitizer.ToJson(new { items = ThrowingSequence(), endless = Endless().Take(5) });
        var json = Parse(text);
        Assert.Contains("enumeration failed", json.GetProperty("items").ToString());
    }

    /// <summary>The names of a JSON object in order, read strictly (JsonObject rejects duplicate names).</summary>
    private static string[] StrictNames(string json) => [.. System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject().Select(p => p.Key)];

    [Fact]
    public void Names_that_become_equal_when_made_safe_get_unused_suffixes_in_every_writer()
    {
        // Issue 8 (CsCheck seed 6kb6L4d3tLh1): lone surrogates become U+FFFD, so these keys collided.
        var clr = new Dictionary<string, object?> { ["k\uD800"] = 1, ["k\uDC00"] = 2, ["k\uFFFD_2"] = 3, ["k\uFFFD"] = 4 };
        Assert.Equal(["k\uFFFD", "k\uFFFD_2", "k\uFFFD_2_2", "k\uFFFD_3"], StrictNames(ValueSanitizer.ToJson(clr)));
        // Values stay with their own keys, in order.
        Assert.Equal("{\"k\uFFFD\":1,\"k\uFFFD_2\":2,\"k\uFFFD_2_2\":3,\"k\uFFFD_3\":4}", ValueSanitizer.ToJson(clr));

        // Serilog structures (a property named like the type tag) and dictionaries (keys whose text is equal).
        var structure = new StructureValue([new LogEventProperty("$type", new ScalarValue("p")), new LogEventProperty("n\0", new ScalarValue(1)), new LogEventProperty("n\uFFFD", new ScalarValue(2))], "Tag");
        Assert.Equal(["$type", "$type_2", "n\uFFFD", "n\uFFFD_2"], StrictNames(ValueSanitizer.SerilogValueToJson(structure)));
        var dictionary = new DictionaryValue([new(new ScalarValue(1), new ScalarValue("int")), new(new ScalarValue("1"), new ScalarValue("string"))]);
        Assert.Equal("""{"1":"int","1_2":"string"}""", ValueSanitizer.SerilogValueToJson(dictionary));

        // Event properties (the extra column).
        var props = new[] { new KeyValuePair<string, LogEventPropertyValue>("a\uDBFF", new ScalarValue(1)), new("a\uDFFF", new ScalarValue(2)) };
        Assert.Equal(["a\uFFFD", "a\uFFFD_2"], StrictNames(ValueSanitizer.PropertiesToJson(props)!));

        // JSON text that repeats a name (JsonDocument accepts it) and a real key equal to the placeholder.
        Assert.Equal("""{"a":1,"a_2":2,"a_3":3}""", ValueSanitizer.SanitizeJson("""{"a":1,"a":2,"a":3}"""));
        var withPlaceholder = Enumerable.Range(0, 7).ToDictionary(i => i == 0 ? "<truncated>" : "k" + i, i => (object?)i);
        var names = StrictNames(ValueSanitizer.ToJson(withPlaceholder, Small));
        Assert.Equal(["<truncated>", "k1", "k2", "k3", "k4", "<truncated>_2"], names);
    }

    private class Base
    {
        public string Name { get; set; } = "base";
    }

    private sealed class Derived : Base
    {
        public new int Name { get; set; } = 7;
    }

    [Fact]
    public void Hidden_members_of_a_clr_object_keep_both_values_under_distinct_names()
    {
        var names = StrictNames(ValueSanitizer.ToJson(new Derived()));
        Assert.Equal(2, names.Length);
        Assert.Equal(["Name", "Name_2"], names.Order());
    }

    [Fact]
    public void Many_colliding_names_stay_fast_and_unique()
    {
        // 2,000 keys that all become "\uFFFD": suffixes are found without retrying every earlier one.
        var keys = Enumerable.Range(0xD800, 2000).Select(c => ((char)c).ToString()).ToList();
        var dict = keys.ToDictionary(k => k, k => (object?)1);
        var names = StrictNames(ValueSanitizer.ToJson(dict, ValueLimits.Payload));
        Assert.Equal(2000, names.Distinct().Count());
        Assert.Equal("\uFFFD_2000", names[^1]);
    }

    private static IEnumerable<int> ThrowingSequence()
    {
        yield return 1;
        throw new InvalidOperationException("broken enumerator");
    }

    private static IEnumerable<int> Endless()
    {
        var i = 0;
        while (true)
        {
            yield return i++;
        }
    }
}
