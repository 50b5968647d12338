// Job: measure what tracing costs — a [Traced] call, a captured HttpClient call, script start-up with capture on.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AgentScript.Configuration;
using AgentScript.Tracing;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace AgentScript.Benchmarks.Tracing;

/// <summary>
/// <c>dotnet run -c Release --project tests/AgentScript.Benchmarks -- tracing-probe [--quick] [--script &lt;AgentScript.TestScript.dll&gt;]</c>:
/// prints per-call costs against baselines measured in the same process, in alternating rounds (median of rounds),
/// and the start-up wall time of the test script with capture on (default sources, no export) against capture off.
/// Writes no doc.
/// </summary>
public static class TracingProbe
{
    private static long s_sink;

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var rounds = quick ? 5 : 9;
        var calls = quick ? 20_000 : 100_000;
        var httpCalls = quick ? 200 : 1000;
        Console.WriteLine($"tracing probe ({(quick ? "quick" : "full")}): {rounds} rounds; {calls} calls, {httpCalls} HTTP calls per round; {Environment.ProcessorCount} cores, load {Load()}");

        // 1. [Traced]: the generated glue's calls, logging to a sink that drops events (the span's own cost).
        Log.Logger = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.Sink(new DropSink()).CreateLogger();
        var untraced = new List<double>();
        var traced = new List<double>();
        var tracedListened = new List<double>();
        var bareActivity = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            untraced.Add(PerCallNs(calls, static i => Work(i)));
            traced.Add(PerCallNs(calls, static i =>
            {
                using var span = TraceSpan.Start("probe");
                Work(i);
                span.Complete();
            }));
            using var runLikeListener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == AgentScriptActivitySource.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(runLikeListener);
            tracedListened.Add(PerCallNs(calls, static i =>
            {
                using var span = TraceSpan.Start("probe");
                Work(i);
                span.Complete();
            }));
            bareActivity.Add(PerCallNs(calls, static i =>
            {
                using var activity = AgentScriptActivitySource.Source.StartActivity("probe");
                Work(i);
            }));
            runLikeListener.Dispose();
        }
        Row("untraced call (baseline)", Median(untraced), Median(untraced));
        Row("[Traced] call, no listener", Median(traced), Median(untraced));
        Row("[Traced] call, sampled (as in a run)", Median(tracedListened), Median(untraced));
        Row("  of which: a bare sampled Activity", Median(bareActivity), Median(untraced));

        // 2. HttpClient against a loopback server, inside a run: without and with the capture listener.
        var dir = Directory.CreateTempSubdirectory("agentscript-tracing-probe").FullName;
        try
        {
            AgentLog.Configure(AgentScriptConfiguration.Load(dir, new Dictionary<string, string?> { ["AGENTSCRIPT_STORE"] = "sqlite:" + Path.Combine(dir, "probe.db"), ["LOG_CONSOLE_LEVEL"] = "NONE" }));
            var run = AgentLog.StartRun("tracing_probe");
            using var server = new HttpListener();
            var port = FreePort();
            server.Prefixes.Add($"http://127.0.0.1:{port}/");
            server.Start();
            var serving = Task.Run(async () =>
            {
                while (server.IsListening)
                {
                    try
                    {
                        var c = await server.GetContextAsync();
                        c.Response.StatusCode = 200;
                        c.Response.Close();
                    }
                    catch (Exception)
                    {
                        return;
                    }
                }
            });
            using var http = new HttpClient();
            var url = $"http://127.0.0.1:{port}/ok";
            var plain = new List<double>();
            var captured = new List<double>();
            await HttpRound(http, url, 50);
            for (var r = 0; r < rounds; r++)
            {
                plain.Add(await HttpRound(http, url, httpCalls));
                var telemetry = RunTelemetry.Start(new Dictionary<string, string?>(), "tracing_probe", Console.Error);
                captured.Add(await HttpRound(http, url, httpCalls));
                await telemetry.DisposeAsync();
            }
            Row("HttpClient GET, not captured (baseline)", Median(plain), Median(plain));
            Row("HttpClient GET, captured as a span", Median(captured), Median(plain));
            AgentLog.EndRun(run: run);
            await AgentLog.CloseAndFlushAsync();
            server.Stop();
            await serving;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }

        // 3. Start-up: the test script's `debug` mode as a process, capture off / on (no export) / export to a closed port.
        var scriptIndex = Array.IndexOf(args, "--script");
        if (scriptIndex >= 0 && scriptIndex + 1 < args.Length)
        {
            await StartupAsync(args[scriptIndex + 1], quick ? 5 : 15);
        }
        return 0;
    }

    private static async Task StartupAsync(string script, int runs)
    {
        var configs = new (string Name, Dictionary<string, string> Env)[]
        {
            ("capture off (AGENTSCRIPT_CAPTURE_SOURCES=none)", new() { ["AGENTSCRIPT_CAPTURE_SOURCES"] = "none" }),
            ("capture on, no export (default)", new()),
            ("capture on, OTLP export to a closed port", new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:" + FreePort(), ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" }),
        };
        var times = configs.Select(_ => new List<double>()).ToArray();
        var dir = Directory.CreateTempSubdirectory("agentscript-startup-probe").FullName;
        try
        {
            for (var r = 0; r < runs + 1; r++)
            {
                for (var c = 0; c < configs.Length; c++)
                {
                    var ms = await RunScriptMs(script, dir, configs[c].Env);
                    if (r > 0)
                    {
                        times[c].Add(ms); // the first round warms the disk cache
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        var baseline = Median(times[0]);
        for (var c = 0; c < configs.Length; c++)
        {
            Console.WriteLine($"  start-up, {configs[c].Name,-45} {Median(times[c]),9:0.0} ms  ×{Median(times[c]) / baseline:0.00}  (min {times[c].Min():0.0}, max {times[c].Max():0.0})");
        }
    }

    private static async Task<double> RunScriptMs(string script, string dir, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("debug");
        info.Environment["AGENTSCRIPT_STORE"] = "sqlite:" + Path.Combine(dir, "startup.db");
        info.Environment["LOG_CONSOLE_LEVEL"] = "NONE";
        foreach (var (k, v) in env)
        {
            info.Environment[k] = v;
        }
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        clock.Stop();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"the script exited {p.ExitCode}: {await stderr}");
        }
        _ = await stdout;
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> HttpRound(HttpClient http, string url, int n)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            using var response = await http.GetAsync(url);
        }
        return clock.Elapsed.TotalMilliseconds * 1000 / n; // µs per call
    }

    private static double PerCallNs(int n, Action<int> call)
    {
        for (var i = 0; i < 1000; i++)
        {
            call(i);
        }
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            call(i);
        }
        return clock.Elapsed.TotalNanoseconds / n;
    }

    private static void Work(int i) => Interlocked.Add(ref s_sink, i & 7);

    private static void Row(string name, double value, double baseline) =>
        Console.WriteLine($"  {name,-45} {value,10:0.0} {(name.StartsWith("HttpClient", StringComparison.Ordinal) ? "µs" : "ns")}  ×{value / baseline:0.00}");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string Load()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (Exception)
        {
            return "?";
        }
    }

    private sealed class DropSink : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
        }
    }
}
