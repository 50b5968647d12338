using AgentScript.Sanitizing;

namespace AgentScript.Tests.Sanitizing;

/// <summary>Secrets found by value: the patterns, the known values, and what must stay as it is.</summary>
public sealed class SecretTextTests
{
    private static readonly KnownSecrets Known = KnownSecrets.None.With(["k9-Planted-Value", "short"]);

    [Theory]
    [InlineData("Server=db;User Id=sa;Password=Pa55w0rd!;", "Server=db;User Id=sa;Password=***;")]
    [InlineData("Host=x;Pwd=abc123;Database=d", "Host=x;Pwd=***;Database=d")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=bXlrZXk=;EndpointSuffix=core", "DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=***;EndpointSuffix=core")]
    [InlineData("Endpoint=sb://ns/;SharedAccessKeyName=root;SharedAccessKey=c2VjcmV0", "Endpoint=sb://ns/;SharedAccessKeyName=root;SharedAccessKey=***")]
    [InlineData("https://agent:hunter22@api.example.org/v1", "https://agent:***@api.example.org/v1")]
    [InlineData("postgres://u:p4ss@db:5432/x", "postgres://u:***@db:5432/x")]
    [InlineData("Authorization: Bearer abc.def-123456", "Authorization: ***")]
    [InlineData("sent Bearer eyJhbGciOi.x1234567", "sent Bearer ***")]
    [InlineData("{\"password\":\"hunter2\",\"user\":\"bob\"}", "{\"password\":\"***\",\"user\":\"bob\"}")]
    [InlineData("GET /x?api_key=abc123&page=2", "GET /x?api_key=***&page=2")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U done", "jwt *** done")]
    [InlineData("gh ghp_abcdefghijklmnopqrstuvwxyz0123456789 ok", "gh *** ok")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "***")]
    [InlineData("key sk-proj-abcdefghijklmnop1234 end", "key *** end")]
    [InlineData("anthropic sk-ant-api03-abcdefghijklmnopqrstu", "anthropic ***")]
    [InlineData("aws AKIAIOSFODNN7EXAMPLE id", "aws *** id")]
    [InlineData("slack xoxb-123456789012-abcdefghij", "slack ***")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\nafter", "***\nafter")]
    [InlineData("the value k9-Planted-Value appears", "the value *** appears")]
    public void Secrets_are_redacted_by_value(string text, string expected) =>
        Assert.Equal(expected, SecretText.Redact(text, Known));

    [Theory]
    [InlineData("Fetched 12 pages in 3.4 s")]
    [InlineData("prompt_tokens=812 completion_tokens=90 total_tokens=902")]
    [InlineData("the bearer of bad news")]
    [InlineData("Enter your password: ")]
    [InlineData("https://example.org/path?page=2")]
    [InlineData("mail bob@example.org about the key points")]
    [InlineData("task-1234 finished; disk-usage=40%")]
    [InlineData("a short value")] // "short" is below the length of a meaningful secret
    public void Ordinary_text_is_left_as_it_is(string text) =>
        Assert.Same(text, SecretText.Redact(text, Known));

    [Fact]
    public void Secret_named_environment_variables_of_six_characters_or_more_are_known_values()
    {
        var known = KnownSecrets.FromVariables(new Dictionary<string, string?>
        {
            ["MY_API_TOKEN"] = "tok-123456", ["ARANGO_PASSWORD"] = "openSesame", ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI",
            ["DB_PWD"] = "abc", ["HOME"] = "/home/agent", ["PATH"] = "/usr/bin", ["PROMPT_TOKENS"] = "123456789",
        });

        Assert.Equal(3, known.Count);
        Assert.Equal("a *** b *** c ***", SecretText.Redact("a tok-123456 b openSesame c wJalrXUtnFEMI", known));
        Assert.Equal("/home/agent 123456789 abc", SecretText.Redact("/home/agent 123456789 abc", known));
    }

    [Fact]
    public void The_shells_working_directories_are_no_secrets_though_their_names_end_in_pwd()
    {
        var known = KnownSecrets.FromVariables(new Dictionary<string, string?>
        {
            ["PWD"] = "/home/agent/project", ["OLDPWD"] = "/home/agent", ["DB_PWD"] = "hunter2-db",
        });

        Assert.Equal(1, known.Count);
        Assert.Equal("read /home/agent/project/data.csv with ***",
            SecretText.Redact("read /home/agent/project/data.csv with hunter2-db", known));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void Every_known_value_is_found_however_many_there_are(int count)
    {
        // Up to eight values are searched one by one, more in one pass: both ways find each value and nothing else.
        var values = Enumerable.Range(0, count).Select(i => $"planted-{i:D3}-value").ToArray();
        var known = KnownSecrets.None.With(values);
        Assert.Equal(count, known.Count);
        foreach (var value in values)
        {
            Assert.Equal("before *** after", SecretText.Redact($"before {value} after", known));
        }
        Assert.Equal("planted-999-valu", SecretText.Redact("planted-999-valu", known));
    }

    [Fact]
    public void A_secret_across_the_cut_of_a_long_text_is_redacted_whole()
    {
        var text = new string('a', 995) + "k9-Planted-Value" + new string('b', 5000);
        var cut = TextCleaner.Clean(text, 2000, 100, Known);
        Assert.DoesNotContain("k9-", cut);
        Assert.DoesNotContain("Planted", cut);
        Assert.True(cut.Length <= 2003);
    }

    [Theory]
    [InlineData("AccessKey")]
    [InlineData("SecretKey")]
    [InlineData("aws_secret_access_key")]
    [InlineData("X-Api-Key")]
    [InlineData("db_password")]
    [InlineData("ConnectionString")]
    [InlineData("Authorization")]
    public void The_shared_list_names_secrets(string name) => Assert.True(SecretNames.IsSecretName(name));

    [Theory]
    [InlineData("prompt_tokens")]
    [InlineData("TokenCount")]
    [InlineData("TokenType")]
    [InlineData("Keyword")]
    [InlineData("Step")]
    public void The_shared_list_leaves_ordinary_names(string name) => Assert.False(SecretNames.IsSecretName(name));
}
