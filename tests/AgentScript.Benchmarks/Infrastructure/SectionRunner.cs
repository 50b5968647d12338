using System.Diagnostics;

namespace AgentScript.Benchmarks.Infrastructure;

/// <summary>
/// Runs each section in a child process of this executable, so a section that crashes (an unhandled exception on a
/// background thread ends a .NET process), hangs or throws is recorded as failed and the next section still runs.
/// </summary>
public static class SectionRunner
{
    public const string ChildVerb = "section-child";
    private const string CommandVariable = "AGENTSCRIPT_BENCH_COMMAND";

    /// <summary>
    /// Wall-clock limit of one section (the full generator and ingest sections take several minutes each). The log-call
    /// section runs two BenchmarkDotNet jobs of eight and three benchmarks, each benchmark allowed 30 minutes in process;
    /// a full run on this machine has taken 25 to over 40 minutes, so it gets an hour.
    /// </summary>
    public static TimeSpan Limit(string section, bool quick) =>
        quick ? TimeSpan.FromMinutes(10) : section == "logcall" ? TimeSpan.FromMinutes(60) : TimeSpan.FromMinutes(40);

    /// <summary>Parent side: start the child, echo its output, and turn a crash or time-out into a failed result.</summary>
    public static async Task<SectionResult> RunIsolatedAsync(string section, bool quick, string command)
    {
        var ctx = new RunContext(quick, command);
        var started = DateTimeOffset.UtcNow;
        var (file, prefix) = ChildProcess.Self();
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in prefix)
        {
            psi.ArgumentList.Add(a);
        }
        psi.ArgumentList.Add(ChildVerb);
        psi.ArgumentList.Add(section);
        if (quick)
        {
            psi.ArgumentList.Add("--quick");
        }
        psi.Environment[CommandVariable] = command;

        var stderrTail = new Queue<string>();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            Console.Error.WriteLine(e.Data);
            lock (stderrTail)
            {
                stderrTail.Enqueue(e.Data);
                if (stderrTail.Count > 8) stderrTail.Dequeue();
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(Limit(section, quick));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return Save(SectionResult.FromFailure(section, ctx, $"stopped after its time limit of {Limit(section, quick).TotalMinutes:0} minutes."));
        }
        process.WaitForExit(); // drains the redirected streams

        var stored = SectionResult.Load(section);
        if (stored is not null && stored.Date >= started)
        {
            return stored;
        }
        string tail;
        lock (stderrTail)
        {
            tail = string.Join(" / ", stderrTail.Select(l => l.Trim()).Where(l => l.Length > 0));
        }
        return Save(SectionResult.FromFailure(section, ctx,
            $"the section's process exited with code {process.ExitCode} before storing a result. Last lines of its error output: `{Shorten(tail)}`"));
    }

    /// <summary>Child side: run one section here and store its result (a thrown exception is stored as a failure).</summary>
    public static async Task<int> RunInThisProcessAsync(string section, bool quick)
    {
        var ctx = new RunContext(quick, Environment.GetEnvironmentVariable(CommandVariable) ?? section);
        SectionResult result;
        try
        {
            result = section switch
            {
                "logcall" => LogCall.LogCallSection.Run(ctx),
                "ingest" => await Ingest.IngestSection.RunAsync(ctx),
                "search" => await Search.SearchSection.RunAsync(ctx),
                "startup" => await Startup.StartupSection.RunAsync(ctx),
                "generator" => await Generator.GeneratorSection.RunAsync(ctx),
                "arango" => await Arango.ArangoSection.RunAsync(ctx),
                "regression" => await Regression.RegressionSection.RunAsync(ctx),
                _ => throw new ArgumentException($"unknown section {section}"),
            };
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"Section {section} failed: {ex}");
            result = SectionResult.FromException(section, ctx, ex);
        }
        result.Save();
        return result.Failed ? 1 : 0;
    }

    private static SectionResult Save(SectionResult result)
    {
        result.Save();
        return result;
    }

    private static string Shorten(string text) => text.Length <= 600 ? text.Replace('`', '\'') : text[..600].Replace('`', '\'') + "…";
}
