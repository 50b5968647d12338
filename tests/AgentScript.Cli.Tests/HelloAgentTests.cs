using System.Diagnostics;
using System.Text.Json;
using AgentScript.Cli.Tests.Support;

namespace AgentScript.Cli.Tests;

/// <summary>The "done when": every command group against runs made by samples/HelloAgent, run as a real process.</summary>
public sealed class HelloAgentTests
{
    internal static string? SampleDll()
    {
        // tests/AgentScript.Cli.Tests/bin/<Configuration>/net10.0/ → the repository root, then the sample's output.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = dir.Parent?.Name ?? "Debug";
        for (var d = dir; d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Toolkit.sln")))
            {
                var dll = Path.Combine(d.FullName, "samples", "HelloAgent", "bin", configuration, "net10.0", "HelloAgent.dll");
                return File.Exists(dll) ? dll : null;
            }
        }
        return null;
    }

    internal static async Task<(int Code, string Out, string Err)> RunSampleAsync(string dll, TempStore temp, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = temp.Directory };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in temp.Environment)
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var e = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (p.ExitCode, await o, await e);
    }

    [Fact]
    public async Task Every_command_group_works_on_HelloAgent_runs()
    {
        var dll = SampleDll();
        Assert.NotNull(dll); // built by the project reference
        await using var temp = new TempStore();
        var working = await RunSampleAsync(dll, temp);
        Assert.True(working.Code == 0, working.Err);
        var debug = await RunSampleAsync(dll, temp, "debug");
        Assert.True(debug.Code is 0 or 1, debug.Err);

        var runs = (await temp.RunAsync("runs", "--json")).Expect(0).Json();
        Assert.Equal(2, runs.GetProperty("count").GetInt32());
        var workingRun = runs.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("mode").GetString() == "working");
        var id = workingRun.GetProperty("execution_id").GetString()!;
        var script = workingRun.GetProperty("script_name").GetString()!;
        Assert.Equal("success", workingRun.GetProperty("status").GetString());

        // latest = what the script printed as its final response.
        var latest = (await temp.RunAsync("latest", "--execution-id", id, "--json")).Expect(0).Json();
        Assert.Equal(id, latest.GetProperty("execution_id").GetString());
        var newestSuccess = runs.GetProperty("runs").EnumerateArray().First(r => r.GetProperty("status").GetString() == "success").GetProperty("execution_id").GetString();
        Assert.Equal(newestSuccess, (await temp.RunAsync("latest", script, "--json")).Expect(0).Json().GetProperty("execution_id").GetString());
        using (var printed = JsonDocument.Parse(working.Out))
        {
            Assert.Equal(printed.RootElement.GetProperty("Tickets").GetInt32(), latest.GetProperty("response").GetProperty("Tickets").GetInt32());
        }

        var show = (await temp.RunAsync("show", id, "--json")).Expect(0).Json();
        Assert.True(show.GetProperty("event_count").GetInt64() > 5);
        Assert.True(show.GetProperty("progress").GetArrayLength() >= 2);
        var search = (await temp.RunAsync("search", "tickets", "--script", script, "--json")).Expect(0).Json();
        Assert.True(search.GetProperty("count").GetInt32() >= 1);
        (await temp.RunAsync("errors", id, "--json")).Expect(0);
        Assert.True((await temp.RunAsync("learnings", "--script", script, "--json")).Expect(0).Json().GetProperty("count").GetInt32() >= 1);
        (await temp.RunAsync("stats", "--json")).Expect(0);
        var graph = (await temp.RunAsync("graph", id, "--json")).Expect(0).Json();
        Assert.True(graph.GetProperty("nodes").GetArrayLength() > 5);
        var export = (await temp.RunAsync("export", "--execution-id", id, "--format", "csv")).Expect(0).Stdout;
        Assert.Equal(show.GetProperty("event_count").GetInt64() + 1, export.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        var report = (await temp.RunProcessAsync("report", id, "--json")).Expect(0).Json();
        Assert.True(report.GetProperty("spans").GetInt32() >= 3); // triage → load + classify per ticket
        var tail = (await temp.RunProcessAsync("tail", "-n", "5", "--script", script, "--json")).Expect(0);
        Assert.Equal(5, tail.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var query = (await temp.RunProcessAsync("query", "SELECT count(*) AS n FROM script_runs WHERE script_name = @s", "--param", $"s={script}", "--json")).Expect(0).Json();
        Assert.Equal(2, query.GetProperty("rows")[0].GetProperty("n").GetInt64());
        var doctor = (await temp.RunProcessAsync("doctor", "--json")).Expect(0).Json();
        Assert.Equal(0, doctor.GetProperty("counters").GetProperty("dropped").GetInt64()); // written by the sample's sink
    }
}
