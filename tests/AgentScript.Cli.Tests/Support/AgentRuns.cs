using AgentScript.Hosting;
using AgentScript.Tracing;

namespace AgentScript.Cli.Tests.Support;

/// <summary>
/// A real script (hand-written manifest, as the generator emits) run by <see cref="ScriptHost"/> with the real sink,
/// pipeline and SQLite store: a parser whose debug run fails until it is "fixed", with typed agent events and a
/// pause that shows up as a stall under a small threshold.
/// </summary>
public static class AgentRuns
{
    public const string Script = "csv_agent";

    /// <summary>How long the debug entry pauses between parsing and reporting (a stall above <see cref="Threshold"/>).</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(800);

    /// <summary>A stall threshold the pause exceeds (other steps of a run on a busy machine may too: tests look for this one).</summary>
    public const string Threshold = "500ms";

    private static ScriptManifest Manifest() => new(Script, new[]
    {
        new ScriptEntry("debug", "Parses rows; fails unless the argument 'fixed' is given.", static async context =>
        {
            var isFixed = context.Arguments.Contains("fixed");
            context.Logger.Information("Parsing {Rows} rows", 3);
            AgentLog.LogDecision("separator", isFixed ? "semicolon" : "comma", ["comma", "semicolon"],
                isFixed ? "row 2 contains commas inside the amount" : "comma is the usual separator");
            using (var span = TraceSpan.Start("CsvAgent.Parse"))
            {
                if (!isFixed)
                {
                    try
                    {
                        throw new FormatException("row 2: '1,5' is not a number");
                    }
                    catch (FormatException e)
                    {
                        context.Logger.Error(e, "Row {Row} could not be parsed", 2);
                    }
                    AgentLog.LogLearning("Amounts use a decimal comma: split rows on semicolons", "CsvAgent.Parse", confidence: 0.9);
                }
                else
                {
                    await Task.Delay(50, context.CancellationToken); // the fix parses more carefully: a longer span
                }
                span.Complete();
            }
            AgentLog.LogAction("parse_rows", new { separator = isFixed ? ";" : ",", api_token = "tok-should-not-appear" },
                new { parsed = isFixed ? 3 : 2 }, succeeded: isFixed);
            AgentLog.LogStateChange("importer", new { stage = "parsing" }, new { stage = "reporting" }, "rows parsed");
            await Task.Delay(Pause, context.CancellationToken); // the script's own pause: the stall under test
            AgentLog.LogReward(isFixed ? 1.0 : -1.0, isFixed ? 0.0 : -1.0, "parse_rows", isFixed ? "all rows parsed" : "a row was lost");
            if (!isFixed)
            {
                AgentLog.LogFinalResponse(new { parsed = 2, status = "partial", errors = new[] { "row 2" } });
                throw new InvalidOperationException("1 of 3 rows could not be parsed");
            }
            return EntryResult.From(new { parsed = 3, status = "ok", total = 4.5 });
        }),
        new ScriptEntry("hang", "Logs once, then waits until cancelled (a live run that has gone quiet).", static async context =>
        {
            context.Logger.Information("HANG_STARTED");
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return EntryResult.None;
        }),
    }, "A script for the diff, stall, typed-event and MCP tests.");

    /// <summary>Runs one entry against <paramref name="temp"/>'s store and returns the exit code.</summary>
    public static async Task<int> RunAsync(TempStore temp, CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        return await ScriptHost.RunAsync(args, Manifest(), new ScriptHostOptions
        {
            Environment = temp.Environment,
            ConfigurationDirectory = temp.Directory,
            Stdout = output,
            Stderr = output,
            HandleProcessEvents = false,
            CancellationToken = cancellationToken,
        });
    }

    /// <summary>A store with a failed debug run, then a fixed one; returns their execution ids (failed, fixed).</summary>
    public static async Task<(string Failed, string Fixed)> FailThenFixAsync(TempStore temp)
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(ExitCodes.Failed, await RunAsync(temp, ct, "debug"));
        Assert.Equal(ExitCodes.Success, await RunAsync(temp, ct, "debug", "fixed"));
        var runs = (await temp.RunAsync("runs", "--script", Script, "--json")).Expect(0).Json().GetProperty("runs");
        Assert.Equal(2, runs.GetArrayLength());
        return (runs[1].GetProperty("execution_id").GetString()!, runs[0].GetProperty("execution_id").GetString()!);
    }
}

/// <summary>Test classes that run scripts in-process share the process-wide logger, so they never run at the same time.</summary>
[CollectionDefinition(Name)]
public sealed class RealRunCollection
{
    public const string Name = "real runs";
}
