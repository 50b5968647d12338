using System.Globalization;
using AgentScript;
using AgentScript.Hosting;

// A script with one mode per behaviour the runtime tests need from a real process.
var manifest = new ScriptManifest("test_script", new[]
{
    new ScriptEntry("working", "Logs a little, reports progress, records a learning, returns a result object.", static context =>
    {
        context.Logger.Information("Computing the sum of {Count} numbers", 3);
        AgentLog.Progress("summing", 50, new { step = 1 });
        var sum = 1 + 2 + 3;
        AgentLog.LogLearning("Summing three small numbers is instant", "working", confidence: 0.9);
        context.Logger.Information("Verified the sum {Sum}", sum);
        return new ValueTask<EntryResult>(EntryResult.From(new { status = "ok", sum, numbers = new[] { 1, 2, 3 } }));
    }),
    new ScriptEntry("debug", "Returns a short string.", static context =>
    {
        context.Logger.Debug("debug mode with {Arguments}", context.Arguments);
        return new ValueTask<EntryResult>(EntryResult.From("debug done"));
    }),
    new ScriptEntry("echo", "Returns its arguments.", static context =>
        new ValueTask<EntryResult>(EntryResult.From(context.Arguments))),
    new ScriptEntry("fail", "Throws.", static _ =>
        throw new InvalidOperationException("the widget exploded on purpose")),
    new ScriptEntry("false", "Returns false.", static context =>
    {
        context.Logger.Warning("check failed: expected 3 items, found 2");
        return new ValueTask<EntryResult>(EntryResult.From(false));
    }),
    new ScriptEntry("wait", "Waits for cancellation (Ctrl+C / SIGTERM), then throws OperationCanceledException.", static async context =>
    {
        context.Logger.Information("WAITING_FOR_CANCEL");
        await Task.Delay(Timeout.Infinite, context.CancellationToken);
        return EntryResult.None;
    }),
    new ScriptEntry("wait-finish", "Waits for cancellation, then returns normally.", static async context =>
    {
        context.Logger.Information("WAITING_FOR_CANCEL");
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            context.Logger.Information("Cancellation seen; finishing cleanly");
        }
        return EntryResult.From(new { stopped = true });
    }),
    new ScriptEntry("log", "Logs N events (first argument, default 100) and returns N.", static context =>
    {
        var n = context.Arguments.Count > 0 ? int.Parse(context.Arguments[0], CultureInfo.InvariantCulture) : 100;
        for (var i = 0; i < n; i++)
        {
            context.Logger.Information("event {Index} of {Total} from {Pid}", i, n, Environment.ProcessId);
        }
        return new ValueTask<EntryResult>(EntryResult.From(n));
    }),
    new ScriptEntry("crash", "Throws on another thread (an unhandled exception kills the process).", static async context =>
    {
        context.Logger.Information("about to crash on a background thread");
        var thread = new Thread(() => throw new InvalidOperationException("background thread crashed"));
        thread.Start();
        await Task.Delay(Timeout.Infinite, context.CancellationToken);
        return EntryResult.None;
    }),
    new ScriptEntry("burst", "Logs N events numbered Seq (first argument), then ends as the second argument says: ok, throw, false or wait (for a signal).", static async context =>
    {
        var n = int.Parse(context.Arguments[0], CultureInfo.InvariantCulture);
        var ending = context.Arguments.Count > 1 ? context.Arguments[1] : "ok";
        for (var i = 0; i < n; i++)
        {
            context.Logger.Information("burst {Seq}", i);
        }
        AgentLog.LogLearning("a burst of " + n, "burst");
        switch (ending)
        {
            case "throw":
                throw new InvalidOperationException("burst ended by an exception");
            case "false":
                return EntryResult.From(false);
            case "wait":
                Console.Error.WriteLine("BURST_LOGGED");
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                return EntryResult.None;
            default:
                return EntryResult.From(n);
        }
    }),
    new ScriptEntry("canary", "Plants the value of MY_API_TOKEN in every place a value can enter; with the argument 'throw' it ends by throwing it.", static context =>
    {
        var canary = Environment.GetEnvironmentVariable("MY_API_TOKEN") ?? throw new InvalidOperationException("MY_API_TOKEN is not set");
        context.Logger.Information("Connecting with {Database}", $"Server=db.internal;User Id=agent;Password={canary};");
        context.Logger.Information("Fetching {Endpoint}", $"https://agent:{canary}@api.example.org/v1/items");
        context.Logger.Information("Calling with {Header}", "Authorization: Bearer " + canary);
        context.Logger.Information("A plain mention of {Value} in {Where}", canary, "a property of an ordinary name");
#pragma warning disable CA2254 // on purpose: the secret inside the template text itself
        context.Logger.Information("Template text holding " + canary);
#pragma warning restore CA2254
        context.Logger.ForContext("Note", new { inner = new { text = canary } }, destructureObjects: true).Information("Nested value");
        AgentLog.Progress("loading " + canary, 50, new { note = canary, connection = $"Server=x;Pwd={canary}" });
        AgentLog.LogLearning("The service accepts " + canary, "canary", context: "seen with " + canary, confidence: 0.9);
        AgentLog.Relate($"script_runs/{context.ExecutionId}", $"script_runs/{context.ExecutionId}", "RELATED_TO",
            "A rationale that mentions the planted value " + canary + " on purpose, long enough to be accepted.");
        try
        {
            throw new InvalidOperationException("The call failed with " + canary);
        }
        catch (InvalidOperationException e)
        {
            context.Logger.Error(e, "Caught the planted failure");
        }
        if (context.Arguments.Contains("throw"))
        {
            throw new InvalidOperationException("Ending the run with " + canary);
        }
        return new ValueTask<EntryResult>(EntryResult.From(new { answer = 42, note = "the token is " + canary, connection = $"Server=x;Password={canary}", items = new[] { canary } }));
    }),
    new ScriptEntry("stream", "Logs events numbered Seq forever at a steady pace (about one per 100 µs), printing SEQ <n> to stderr every 100; for kill -9 tests.", static context =>
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; ; i++)
        {
            context.Logger.Information("stream {Seq}", i);
            if (i % 100 == 0)
            {
                Console.Error.WriteLine("SEQ " + i.ToString(CultureInfo.InvariantCulture));
            }
            // Pace the stream so the loss window is measured in time, not in how fast the CPU is.
            while (clock.Elapsed.TotalMilliseconds < (i + 1) * 0.1)
            {
                Thread.SpinWait(50);
            }
        }
    }),
    new ScriptEntry("http", "Calls <base>/ok, /fail and /slow (1 s timeout) with HttpClient inside a span.", TelemetryModes.HttpAsync),
    new ScriptEntry("chat", "Two calls through a Microsoft.Extensions.AI pipeline with UseOpenTelemetry() inside a span.", TelemetryModes.ChatAsync),
    new ScriptEntry("ilogger", "Logs through Microsoft.Extensions.Logging.", TelemetryModes.ILoggerMode),
}, "Test script for the AgentScript runtime tests.");

return await ScriptHost.RunAsync(args, manifest);
