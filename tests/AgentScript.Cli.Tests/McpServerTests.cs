using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentScript.Cli.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentScript.Cli.Tests;

/// <summary>
/// <c>agentlog mcp</c> as a real process, driven by the official SDK's own client over stdio, on a store made by real
/// script runs; plus the tool list against docs/cli.md.
/// </summary>
[Collection(RealRunCollection.Name)]
public sealed class McpServerTests
{
    private const int Cap = 4000;

    private static async Task<McpClient> ConnectAsync(TempStore temp)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "agentlog",
            Command = "dotnet",
            Arguments = [ProcessRunner.ToolPath, "mcp", "--max-result-chars", Cap.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            WorkingDirectory = temp.Directory,
            EnvironmentVariables = temp.Environment,
        });
        return await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);
    }

    private static async Task<(bool IsError, string Text)> CallAsync(McpClient client, string tool, Dictionary<string, object?> args)
    {
        var result = await client.CallToolAsync(tool, args, cancellationToken: TestContext.Current.CancellationToken);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.True(text.Length <= Cap, $"{tool}: {text.Length} characters over the cap");
        return (result.IsError == true, text);
    }

    private static async Task<JsonElement> OkAsync(McpClient client, string tool, Dictionary<string, object?> args)
    {
        var (isError, text) = await CallAsync(client, tool, args);
        Assert.False(isError, $"{tool}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Every_tool_answers_through_the_sdk_client_with_bounded_redacted_results_and_clear_errors()
    {
        await using var temp = new TempStore();
        var (failed, fixedRun) = await AgentRuns.FailThenFixAsync(temp);
        await using var client = await ConnectAsync(temp);

        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["list_runs", "show_run", "latest_response", "search", "errors", "summary", "learnings", "record_learning",
            "relate", "execution_graph", "diff_runs", "query"], tools.Select(t => t.Name));

        // list_runs pages with a cursor.
        var page1 = await OkAsync(client, "list_runs", new() { ["script"] = AgentRuns.Script, ["limit"] = 1 });
        Assert.Equal(fixedRun, page1.GetProperty("runs")[0].GetProperty("execution_id").GetString());
        var cursor = page1.GetProperty("more").GetProperty("next_cursor").GetString();
        var page2 = await OkAsync(client, "list_runs", new() { ["script"] = AgentRuns.Script, ["limit"] = 1, ["cursor"] = cursor });
        Assert.Equal(failed, page2.GetProperty("runs")[0].GetProperty("execution_id").GetString());
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("more").ValueKind);

        var show = await OkAsync(client, "show_run", new() { ["execution_id"] = fixedRun });
        Assert.Equal("success", show.GetProperty("run").GetProperty("status").GetString());
        // The whole summary is over the cap: the largest array was cut, and says how many items it left out.
        var omitted = show.TryGetProperty("omitted_items", out var o) && o.TryGetProperty("agent_events", out var n) ? n.GetInt32() : 0;
        Assert.Equal(4, show.GetProperty("agent_events").GetArrayLength() + omitted);
        Assert.True(omitted > 0);

        var latest = await OkAsync(client, "latest_response", new() { ["script"] = AgentRuns.Script });
        Assert.Equal(3, latest.GetProperty("response").GetProperty("parsed").GetInt32());

        var search = await OkAsync(client, "search", new() { ["text"] = "semicolon", ["category"] = "AGENT_DECISION" });
        Assert.Equal(2, search.GetProperty("hits").GetArrayLength());

        var errors = await OkAsync(client, "errors", new() { ["execution_id"] = failed, ["stall_threshold"] = AgentRuns.Threshold });
        Assert.Equal("System.FormatException", errors.GetProperty("errors")[0].GetProperty("error").GetProperty("exception").GetProperty("type").GetString());
        Assert.True(errors.GetProperty("stalls").GetProperty("count").GetInt32() >= 1);

        var summary = await OkAsync(client, "summary", new() { ["script"] = AgentRuns.Script });
        Assert.Equal(2, summary.GetProperty("scripts")[0].GetProperty("runs").GetInt32());

        var learnings = await OkAsync(client, "learnings", new() { ["text"] = "semicolons" });
        Assert.Contains("decimal comma", learnings.GetProperty("learnings")[0].GetProperty("learning").GetString());

        var recorded = await OkAsync(client, "record_learning", new() { ["learning"] = "Check the separator before parsing amounts", ["execution_id"] = fixedRun, ["confidence"] = 0.7 });
        Assert.Equal(fixedRun, recorded.GetProperty("execution_id").GetString());
        Assert.Equal(2, (await OkAsync(client, "learnings", new() { ["script"] = AgentRuns.Script })).GetProperty("learnings").GetArrayLength());

        var relation = await OkAsync(client, "relate", new()
        {
            ["from"] = failed, ["to"] = fixedRun, ["type"] = "FIXED_BY",
            ["rationale"] = "The second debug run splits rows on semicolons, which parses the decimal-comma amounts.",
        });
        Assert.Equal("FIXED_BY", relation.GetProperty("type").GetString());

        var graph = await OkAsync(client, "execution_graph", new() { ["execution_id"] = fixedRun, ["limit"] = 3 });
        var nodes = graph.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToHashSet();
        Assert.Equal(3, nodes.Count);
        Assert.NotNull(graph.GetProperty("more").GetProperty("next_cursor").GetString());
        Assert.All(graph.GetProperty("edges").EnumerateArray(), e => Assert.True(nodes.Contains(e.GetProperty("from").GetString()) || nodes.Contains(e.GetProperty("to").GetString())));

        var diff = await OkAsync(client, "diff_runs", new() { ["run_a"] = failed, ["run_b"] = fixedRun });
        Assert.True(diff.GetProperty("status_changed").GetBoolean());

        var query = await OkAsync(client, "query", new()
        {
            ["query"] = "SELECT execution_id, 'tok-1' AS api_token FROM script_runs WHERE script_name = @s ORDER BY start_time",
            ["parameters"] = new Dictionary<string, object?> { ["s"] = AgentRuns.Script },
        });
        Assert.Equal(failed, query.GetProperty("rows")[0].GetProperty("execution_id").GetString());
        Assert.Equal("***", query.GetProperty("rows")[0].GetProperty("api_token").GetString()); // redacted on the way out

        // The size cap: every event of both runs is far more than the cap; the page is cut and says where to go on.
        var big = await OkAsync(client, "query", new() { ["query"] = "SELECT * FROM log_events ORDER BY id", ["limit"] = 200 });
        var shown = big.GetProperty("rows").GetArrayLength();
        Assert.InRange(shown, 1, 199);
        var next = big.GetProperty("more").GetProperty("next_cursor").GetString();
        Assert.Equal(shown.ToString(System.Globalization.CultureInfo.InvariantCulture), next);
        var after = await OkAsync(client, "query", new() { ["query"] = "SELECT * FROM log_events ORDER BY id", ["limit"] = 200, ["cursor"] = next });
        Assert.NotEqual(big.GetProperty("rows")[0].GetProperty("event_id").GetString(), after.GetProperty("rows")[0].GetProperty("event_id").GetString());

        // Errors: the CLI's messages, as tool errors.
        var unknown = await CallAsync(client, "show_run", new() { ["execution_id"] = "nope_20200101_000000_00000000" });
        Assert.True(unknown.IsError);
        Assert.Equal("No run with execution id 'nope_20200101_000000_00000000'. List recent runs with 'agentlog runs'.", unknown.Text);
        var shortRationale = await CallAsync(client, "relate", new() { ["from"] = failed, ["to"] = fixedRun, ["rationale"] = "because" });
        Assert.True(shortRationale.IsError);
        Assert.Contains("at least 50 characters", shortRationale.Text);
        var write = await CallAsync(client, "query", new() { ["query"] = "DELETE FROM log_events" });
        Assert.True(write.IsError);
        Assert.Contains("read-only", write.Text);
        var typed = await CallAsync(client, "list_runs", new() { ["limit"] = "many" });
        Assert.True(typed.IsError);
        Assert.Equal("Argument 'limit' must be an integer, not string (\"many\").", typed.Text);
        Assert.Equal(2, (await OkAsync(client, "list_runs", new())).GetProperty("runs").GetArrayLength()); // the store is intact
    }

    [Fact]
    public async Task Nothing_but_protocol_messages_reach_stdout()
    {
        await using var temp = new TempStore();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = temp.Directory };
        psi.ArgumentList.Add(ProcessRunner.ToolPath);
        psi.ArgumentList.Add("mcp");
        psi.Environment.Clear();
        foreach (var (k, v) in temp.Environment)
        {
            if (v is not null)
            {
                psi.Environment[k] = v;
            }
        }
        using var process = Process.Start(psi)!;
        var ct = TestContext.Current.CancellationToken;
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_runs","arguments":{}}}""");
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"errors","arguments":{"execution_id":"nope_20200101_000000_00000000"}}}""");
        await process.StandardInput.FlushAsync(ct);
        var lines = new List<JsonElement>();
        while (lines.Count(l => l.TryGetProperty("id", out _)) < 3 && await process.StandardOutput.ReadLineAsync(ct) is { } line)
        {
            lines.Add(JsonDocument.Parse(line).RootElement.Clone()); // throws if anything but JSON reaches stdout
        }
        process.StandardInput.Close(); // the client leaves: the server ends
        await process.WaitForExitAsync(ct);
        Assert.All(lines, l => Assert.Equal("2.0", l.GetProperty("jsonrpc").GetString()));
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("agentlog mcp: serving 12 tools", await process.StandardError.ReadToEndAsync(ct));
    }

    [Fact]
    public async Task A_cap_below_the_minimum_is_a_usage_error()
    {
        await using var temp = new TempStore();
        var r = (await temp.RunAsync("mcp", "--max-result-chars", "100")).Expect(2);
        Assert.Equal("agentlog: --max-result-chars must be at least 2000.", r.Stderr.Trim());
        Assert.Equal("", r.Stdout);
    }

    /// <summary>docs/cli.md lists each tool with its arguments (<c>name*: type</c>, * = required) in the mcp section.</summary>
    [Fact]
    public void Tool_list_and_schemas_match_the_documentation()
    {
        var docs = DocumentedShapesTests.Docs();
        var section = docs[docs.IndexOf("### `mcp", StringComparison.Ordinal)..];
        section = section[..(5 + Regex.Match(section[5..], @"\n#{2,3} ").Index)];
        var documented = Regex.Matches(section, @"^\| `(?<tool>[a-z_]+)` \| (?<args>[^|]*) \|", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups["tool"].Value, m => Regex.Matches(m.Groups["args"].Value, @"`(?<name>[a-z_]+)(?<req>\*?): (?<type>[a-z]+)`")
                .Select(a => (a.Groups["name"].Value, a.Groups["type"].Value, a.Groups["req"].Value == "*")).ToList());
        var tools = Mcp.AgentLogMcpServer.Tools();
        Assert.Equal(tools.Select(t => t.Name), documented.Keys);
        foreach (var tool in tools)
        {
            var schema = tool.InputSchema;
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
            var actual = schema.GetProperty("properties").EnumerateObject()
                .Select(p => (p.Name, p.Value.GetProperty("type").GetString()!, required.Contains(p.Name))).ToList();
            Assert.Equal(actual, documented[tool.Name]);
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
        }
    }
}
