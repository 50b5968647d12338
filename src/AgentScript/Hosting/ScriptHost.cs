using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using AgentScript.Configuration;
using AgentScript.Model;
using AgentScript.Sanitizing;
using AgentScript.Sink;
using AgentScript.Storage;
using Serilog;
using Serilog.Context;
using Serilog.Core;
using Serilog.Events;

namespace AgentScript.Hosting;

/// <summary>
/// Does the work of a script's entry point: picks the entry by mode, sets up logging (human output on stderr,
/// the store sink), starts the run, scopes the execution id into every event, calls the entry, stores its
/// return value as the final response, ends the run with its status, flushes, and returns the exit code.
/// </summary>
public static class ScriptHost
{
    /// <summary>The mode run when none is given.</summary>
    public const string DefaultMode = "working";

    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>Runs the script. The generated <c>Main</c> calls this.</summary>
    /// <param name="args">Command-line arguments: <c>[mode] [arguments for the entry…]</c>, or <c>--help</c>.</param>
    /// <param name="manifest">The script's entries.</param>
    /// <returns>An exit code of <see cref="ExitCodes"/>.</returns>
    public static Task<int> RunAsync(string[] args, ScriptManifest manifest) => RunAsync(args, manifest, new ScriptHostOptions());

    /// <summary>Runs the script with overrides (tests, embedding).</summary>
    /// <param name="args">Command-line arguments: <c>[mode] [arguments for the entry…]</c>, or <c>--help</c>.</param>
    /// <param name="manifest">The script's entries.</param>
    /// <param name="hostOptions">Overrides.</param>
    /// <returns>An exit code of <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(string[] args, ScriptManifest manifest, ScriptHostOptions hostOptions)
    {
        StartupTrace.Mark("host entered");
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(hostOptions);
        var stdout = hostOptions.Stdout ?? Console.Out;
        var stderr = hostOptions.Stderr ?? Console.Error;

        // 1. Arguments: help, mode, the rest for the entry.
        if (args.Length > 0 && args[0] is "--help" or "-h" or "-?" or "help")
        {
            WriteHelp(stdout, manifest);
            return ExitCodes.Success;
        }
        if (manifest.Entries.Count == 0)
        {
            stderr.WriteLine($"{manifest.ScriptName}: this script declares no entry ([AgentScript] method).");
            return ExitCodes.Usage;
        }
        ScriptEntry? entry;
        string[] rest;
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            entry = FindEntry(manifest, args[0]);
            if (entry is null)
            {
                stderr.WriteLine($"{manifest.ScriptName}: unknown mode '{args[0]}'. Modes: {string.Join(", ", manifest.Entries.Select(e => e.Mode))}. Run with --help for details.");
                return ExitCodes.Usage;
            }
            rest = args[1..];
        }
        else
        {
            // No mode (or only options): the stable `working` entry, or the only/first one declared.
            entry = FindEntry(manifest, DefaultMode) ?? manifest.Entries[0];
            rest = args;
        }

        // 2. Configuration.
        AgentScriptOptions options;
        try
        {
            options = hostOptions.Options ?? AgentScriptConfiguration.Load(hostOptions.ConfigurationDirectory, hostOptions.Environment);
        }
        catch (ConfigurationException e)
        {
            stderr.WriteLine($"{manifest.ScriptName}: configuration error: {e.Message}");
            return ExitCodes.Usage;
        }

        StartupTrace.Mark("configuration read");
        // 3. Store and the one write pipeline of this process.
        var store = hostOptions.Store ?? AgentLogStores.OpenOrUnavailable(options);
        StartupTrace.Mark("store opened");
        var pipelineOptions = WritePipelineOptions.From(options) with { Diagnostics = stderr };
        if (hostOptions.ConfigurePipeline is { } configurePipeline)
        {
            pipelineOptions = configurePipeline(pipelineOptions);
        }
        var pipeline = new StoreWritePipeline(store, pipelineOptions, ownsStore: hostOptions.Store is null);
        StartupTrace.Mark("pipeline created");
        // Opening the store (schema check, SQLite native load) runs in the background while the logger is built and
        // the run's start is recorded; the entry itself starts only once the store answered or the wait timed out.
        // Unavailable at start: the pipeline prints why; the run goes on and its writes are buffered.
        var storeReady = InitializeStoreAsync(pipeline, hostOptions);
        // 4. Logger: human output on stderr only, every event to the store.
        var loggerConfiguration = new LoggerConfiguration()
            .WithSafeCapture()
            .MinimumLevel.Verbose()
            .Enrich.FromLogContext()
            .Enrich.With(new SecretRedactionEnricher(pipelineOptions.PropertyLimits.Secrets))
            .WriteTo.AgentStore(pipeline);
        // Tracing: Activities sampled and captured as spans of the run; OTLP export when configured.
        var telemetry = Tracing.RunTelemetry.Start(hostOptions.Environment, manifest.ScriptName, stderr);
        telemetry.ConfigureLogging(loggerConfiguration);
        if (ConsoleLevel(options.ConsoleLevel) is { } consoleLevel)
        {
            // Redacted and bounded per event, like everything else the run writes.
            loggerConfiguration.WriteTo.Sink(new ConsoleEcho(stderr, ConsoleTemplate, pipelineOptions.PropertyLimits.Secrets), consoleLevel);
        }
        try
        {
            manifest.ConfigureLogging?.Invoke(loggerConfiguration);
            hostOptions.ConfigureLogging?.Invoke(loggerConfiguration);
        }
        catch (Exception e)
        {
            stderr.WriteLine($"{manifest.ScriptName}: the ConfigureLogging hook failed: {e.Message}");
            await storeReady.ConfigureAwait(false);
            await pipeline.DisposeAsync().ConfigureAwait(false);
            await telemetry.DisposeAsync().ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var logger = loggerConfiguration.CreateLogger();
        StartupTrace.Mark("logger created");
        var runtime = new AgentRuntime(options, pipeline, logger, ownsLoggerAndPipeline: true);
        // Serilog's static Log is the script author's convention (Log.Information in script code), so the host points
        // it at the run's logger. Nothing in this library reads it: the runtime is found through AgentRuntime.
        var previousLogger = Log.Logger;
        Log.Logger = logger;

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(hostOptions.CancellationToken);
        AgentRun? run = null;
        var signals = 0;
        void OnSignal()
        {
            if (Interlocked.Increment(ref signals) == 1)
            {
                ((ILogger?)run?.Logger ?? logger).Warning("Cancellation requested (Ctrl+C or SIGTERM); waiting for the entry to finish. Press Ctrl+C again to stop at once.");
                cancel.Cancel();
                return;
            }
            // A second signal: the entry does not stop. Record the run as cancelled, save the logs, then let the process die.
            run?.End(RunStatus.Cancelled, new OperationCanceledException("Stopped by a second Ctrl+C / SIGTERM."));
            pipeline.FlushAsync().Wait(TimeSpan.FromSeconds(5));
            Environment.Exit(ExitCodes.Cancelled);
        }
        ConsoleCancelEventHandler? onCancelKey = null;
        PosixSignalRegistration? sigterm = null;
        UnhandledExceptionEventHandler? onUnhandled = null;
        if (hostOptions.HandleProcessEvents)
        {
            onCancelKey = (_, e) =>
            {
                e.Cancel = true;
                OnSignal();
            };
            Console.CancelKeyPress += onCancelKey;
            try
            {
                sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
                {
                    ctx.Cancel = true;
                    OnSignal();
                });
            }
            catch (PlatformNotSupportedException)
            {
                // No SIGTERM on this platform; Ctrl+C still works.
            }
            onUnhandled = (_, e) =>
            {
                // Another thread crashed the process: record why before it goes.
                var ex = e.ExceptionObject as Exception ?? new Exception(e.ExceptionObject?.ToString());
                run?.Logger.Fatal(ex, "Unhandled exception; the process is terminating");
                run?.End(RunStatus.Failed, ex);
                pipeline.Dispose();
            };
            AppDomain.CurrentDomain.UnhandledException += onUnhandled;
        }

        var exitCode = ExitCodes.Failed;
        try
        {
            var metadata = new Dictionary<string, object?>
            {
                ["arguments"] = rest,
                ["description"] = entry.Description,
                ["script_description"] = manifest.Description,
                ["working_directory"] = SafeCurrentDirectory(),
                ["store"] = store.Location,
            };
            AgentRuntime.SetCurrent(runtime);
            telemetry.StartRoot(manifest.ScriptName, entry.Mode);
            run = AgentRun.Start(runtime, manifest.ScriptName, entry.Mode, metadata);
            telemetry.Attach(run);
            StartupTrace.Mark("run started");
            AgentRun.Current = run;
            await storeReady.ConfigureAwait(false);
            StartupTrace.Mark("store ready");
            using (LogContext.PushProperty(LogProperties.ExecutionId, run.ExecutionId))
            using (LogContext.PushProperty(LogProperties.ScriptName, run.ScriptName))
            using (LogContext.PushProperty(LogProperties.Mode, run.Mode))
            {
                exitCode = await InvokeEntryAsync(entry, run, rest, logger, store, stdout, cancel).ConfigureAwait(false);
                StartupTrace.Mark("entry returned, run ended");
            }
        }
        finally
        {
            // Never dispose the pipeline under a store initialisation still in flight (an exception above).
            await storeReady.ConfigureAwait(false);
            telemetry.End(run);
            AgentRun.Current = null;
            AgentRuntime.SetCurrent(null);
            if (onCancelKey is not null)
            {
                Console.CancelKeyPress -= onCancelKey;
            }
            sigterm?.Dispose();
            if (onUnhandled is not null)
            {
                AppDomain.CurrentDomain.UnhandledException -= onUnhandled;
            }
            if (ReferenceEquals(Log.Logger, logger))
            {
                Log.Logger = previousLogger;
            }
            // Always drain before returning: the logger closes, then the run's records and events reach the store or
            // the durable buffer.
            await runtime.DisposeAsync().ConfigureAwait(false);
            StartupTrace.Mark("pipeline drained and closed");
            await telemetry.DisposeAsync().ConfigureAwait(false);
            StartupTrace.Report(stderr);
            try
            {
                await stdout.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // stdout closed by the caller; nothing to do.
            }
        }
        return exitCode;
    }

    private static async Task InitializeStoreAsync(StoreWritePipeline pipeline, ScriptHostOptions hostOptions)
    {
        // Off the caller's thread at once: the store's first open is synchronous work (native library, schema).
        await Task.Yield();
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(hostOptions.CancellationToken);
        // Never hold the script long for a store that does not answer; its writes are buffered meanwhile.
        startTimeout.CancelAfter(hostOptions.StoreStartTimeout);
        await pipeline.InitializeStoreAsync(startTimeout.Token).ConfigureAwait(false);
        StartupTrace.Mark("store initialized (in the background)");
    }

    private static async Task<int> InvokeEntryAsync(ScriptEntry entry, AgentRun run, string[] rest, Logger logger, IAgentLogStore store, TextWriter stdout, CancellationTokenSource cancel)
    {
        var context = new ScriptContext(run.ExecutionId, run.ScriptName, run.Mode, rest, run.Logger, store, cancel.Token);
        try
        {
            var result = await entry.Invoke(context).ConfigureAwait(false);
            if (result.HasValue)
            {
                // A lazy value (an iterator entry, a LINQ query in the response) runs the script's code while it is
                // written: an exception there fails the entry like any other, with its own stack.
                var text = run.SerializeFinalResponse(result.Value, out var failure);
                if (failure is not null)
                {
                    ExceptionDispatchInfo.Throw(failure);
                }
                // stdout gets exactly what is stored: bounded by the payload limits and redacted.
                var json = run.RecordFinalResponseJson(text);
                await stdout.WriteAsync(json + "\n").ConfigureAwait(false);
                await stdout.FlushAsync().ConfigureAwait(false);
            }
            if (cancel.IsCancellationRequested)
            {
                run.End(RunStatus.Cancelled);
                return ExitCodes.Cancelled;
            }
            if (result.IsFailure)
            {
                run.Logger.Error("Entry {Mode} returned false: the run failed", run.Mode);
                run.End(RunStatus.Failed, new InvalidOperationException($"The entry '{run.Mode}' returned false."));
                return ExitCodes.Failed;
            }
            run.End(RunStatus.Success);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
        {
            run.Logger.Warning("Entry {Mode} was cancelled", run.Mode);
            run.End(RunStatus.Cancelled, e);
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            run.Logger.Error(e, "Entry {Mode} failed: {ErrorMessage}", run.Mode, e.Message);
            run.End(RunStatus.Failed, e);
            return ExitCodes.Failed;
        }
    }

    private static ScriptEntry? FindEntry(ScriptManifest manifest, string mode) =>
        manifest.Entries.FirstOrDefault(e => string.Equals(e.Mode, mode, StringComparison.Ordinal))
        ?? manifest.Entries.FirstOrDefault(e => string.Equals(e.Mode, mode, StringComparison.OrdinalIgnoreCase));

    private static LogEventLevel? ConsoleLevel(string level) =>
        level.Equals("NONE", StringComparison.OrdinalIgnoreCase) ? null : LogLevels.Rank(level) switch
        {
            0 => LogEventLevel.Verbose,
            1 => LogEventLevel.Debug,
            3 => LogEventLevel.Warning,
            4 => LogEventLevel.Error,
            5 => LogEventLevel.Fatal,
            _ => LogEventLevel.Information,
        };

    private static void WriteHelp(TextWriter output, ScriptManifest manifest)
    {
        output.WriteLine(manifest.Description is null ? manifest.ScriptName : $"{manifest.ScriptName} — {OneLine(manifest.Description)}");
        output.WriteLine();
        output.WriteLine($"Usage: {manifest.ScriptName} [mode] [arguments...]   (no mode runs '{(FindEntry(manifest, DefaultMode) ?? manifest.Entries.FirstOrDefault())?.Mode ?? DefaultMode}')");
        output.WriteLine();
        output.WriteLine("Modes:");
        var width = manifest.Entries.Count == 0 ? 0 : manifest.Entries.Max(e => e.Mode.Length);
        foreach (var e in manifest.Entries)
        {
            output.WriteLine($"  {e.Mode.PadRight(width)}  {(e.Description is null ? "" : OneLine(e.Description))}".TrimEnd());
        }
        output.WriteLine();
        output.WriteLine("The entry's return value is printed on stdout as JSON; logs go to stderr and the log store.");
        output.WriteLine("Exit codes: 0 success, 1 failed, 2 usage or configuration error, 130 cancelled.");
    }

    /// <summary>A description as one line of the mode list: line breaks, tabs and other control characters become one space.</summary>
    private static string OneLine(string text) =>
        string.Join(' ', text.Split((char[])['\r', '\n', '\t', '\v', '\f', '\u0085', '\u2028', '\u2029'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string? SafeCurrentDirectory()
    {
        try
        {
            return Directory.GetCurrentDirectory();
        }
        catch (Exception)
        {
            return null;
        }
    }
}
