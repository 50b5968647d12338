using AgentScript.Cli.Tests.Support;

namespace AgentScript.Cli.Tests;

/// <summary>Usage errors, unreachable stores, secrets: messages and exit codes.</summary>
public sealed class ErrorHandlingTests
{
    [Theory]
    [InlineData("bogus")]
    [InlineData("show")]
    [InlineData("runs", "--limit", "many")]
    [InlineData("search", "x", "--nope")]
    public async Task Parse_errors_exit_2_with_a_pointer_to_help(params string[] args)
    {
        await using var temp = new TempStore();
        var r = (await temp.RunAsync(args)).Expect(2);
        Assert.Contains("agentlog: ", r.Stderr);
        Assert.Contains("--help' for usage", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task Unreachable_store_exits_3_with_one_line_and_no_stack_trace()
    {
        await using var temp = new TempStore();
        // A path below a regular file can never be created.
        var file = Path.Combine(temp.Directory, "a-file");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        temp.Environment["AGENTSCRIPT_STORE"] = $"sqlite:{file}/sub/agentlog.db";
        foreach (var args in new[] { new[] { "runs" }, ["search", "x", "--json"], ["show", "x"], ["init"] })
        {
            var r = (await temp.RunAsync(args)).Expect(3);
            Assert.StartsWith("agentlog: Store unavailable:", r.Stderr);
            Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.DoesNotContain("   at ", r.Stderr);
            Assert.Contains("agentlog doctor", r.Stderr);
        }
        var doctor = (await temp.RunAsync("doctor", "--json")).Expect(3).Json();
        Assert.False(doctor.GetProperty("store").GetProperty("reachable").GetBoolean());
        Assert.False(string.IsNullOrEmpty(doctor.GetProperty("store").GetProperty("error").GetString()));
    }

    [Fact]
    public async Task ArangoDB_on_a_closed_port_exits_3_without_showing_the_password()
    {
        await using var temp = new TempStore();
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        temp.Environment["AGENTSCRIPT_STORE"] = "arangodb";
        temp.Environment["ARANGO_URL"] = $"http://127.0.0.1:{port}";
        temp.Environment["ARANGO_PASSWORD"] = "Arango-Secret-987";
        var r = (await temp.RunAsync("search", "anything", "--json")).Expect(3);
        Assert.StartsWith("agentlog: Store unavailable:", r.Stderr);
        Assert.Contains($"127.0.0.1:{port}", r.Stderr);
        Assert.DoesNotContain("Arango-Secret-987", r.Stderr + r.Stdout);
        var doctor = (await temp.RunAsync("doctor", "--json")).Expect(3);
        Assert.DoesNotContain("Arango-Secret-987", doctor.Stderr + doctor.Stdout);
        Assert.Equal("arangodb", doctor.Json().GetProperty("configuration").GetProperty("store").GetString());
    }

    [Fact]
    public async Task The_store_option_overrides_the_environment()
    {
        await using var temp = new TempStore();
        var other = Path.Combine(temp.Directory, "other.db");
        var j = (await temp.RunAsync("init", "--store", $"sqlite:{other}", "--json")).Expect(0).Json();
        Assert.Contains(other, j.GetProperty("location").GetString());
        Assert.True(File.Exists(other));
        (await temp.RunAsync("runs", "--store", "mongodb")).Expect(2);
    }

    [Fact]
    public async Task Doctor_shows_the_configuration_but_never_the_password()
    {
        await using var temp = new TempStore();
        const string secret = "S3cret-Passw0rd-XYZ";
        temp.Environment["ARANGO_PASSWORD"] = secret;
        temp.Environment["ARANGO_USERNAME"] = "agent";
        temp.Environment["LOG_BATCH_SIZE"] = "77";
        var json = (await temp.RunAsync("doctor", "--json")).Expect(0);
        Assert.DoesNotContain(secret, json.Stdout + json.Stderr);
        var j = json.Json();
        Assert.True(j.GetProperty("ok").GetBoolean());
        var config = j.GetProperty("configuration");
        Assert.Equal("********", config.GetProperty("arango_password").GetString());
        Assert.False(config.GetProperty("arango_password_is_default").GetBoolean());
        Assert.Equal("agent", config.GetProperty("arango_username").GetString());
        Assert.Equal(77, config.GetProperty("batch_size").GetInt32());
        Assert.Equal(temp.DbPath, config.GetProperty("sqlite_path").GetString());
        Assert.True(j.GetProperty("store").GetProperty("reachable").GetBoolean());
        Assert.True(j.GetProperty("store").GetProperty("schema_version").GetInt32() >= 1);
        Assert.Equal(Path.Combine(temp.Directory, "buffer"), j.GetProperty("buffer").GetProperty("directory").GetString());

        var human = (await temp.RunAsync("doctor")).Expect(0);
        Assert.DoesNotContain(secret, human.Stdout + human.Stderr);
        Assert.Contains("Reachable: sqlite", human.Stdout);
        Assert.Contains("arango_password", human.Stdout);

        temp.Environment["LOG_BATCH_SIZE"] = "lots";
        var bad = (await temp.RunAsync("doctor")).Expect(2);
        Assert.Contains("Invalid LOG_BATCH_SIZE 'lots'", bad.Stderr);
    }

    [Fact]
    public async Task Every_command_has_help_with_examples()
    {
        await using var temp = new TempStore();
        var root = (await temp.RunAsync("--help")).Expect(0).Stdout;
        string[] commands = ["init", "doctor", "runs", "show", "latest", "search", "errors", "learnings", "learn", "query",
            "prune", "relate", "graph", "export", "tail", "stats", "report", "flush"];
        foreach (var c in commands)
        {
            Assert.Contains($"  {c}", root);
            var help = (await temp.RunAsync(c, "--help")).Expect(0).Stdout;
            Assert.Contains("Examples:", help);
            Assert.Contains($"agentlog {c}", help);
            Assert.Contains("--json", help);
        }
    }
}
