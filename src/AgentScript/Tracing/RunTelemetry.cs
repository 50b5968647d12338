// Job: a host run's tracing — the listener that samples and captures Activities, the root Activity, optional OTLP export.
using System.Diagnostics;
using AgentScript.Hosting;
using AgentScript.Model;
using Serilog;

namespace AgentScript.Tracing;

/// <summary>
/// What <see cref="ScriptHost"/> holds for tracing while a run lasts: an <see cref="ActivityListener"/> that samples
/// the product's source and records Activities of the captured sources as spans of the run of their flow, the run's
/// root Activity (its trace id is stored with the run), and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, the
/// OTLP export of spans and logs. Export is best effort with a bounded shutdown; the store stays the record.
/// </summary>
internal sealed class RunTelemetry : IAsyncDisposable
{
    private readonly ActivityListener _listener;
    private readonly CaptureSources _sources;
    private readonly bool _captureContent;
    private readonly IOtlpExport? _export;
    private Activity? _root;

    private RunTelemetry(CaptureSources sources, bool captureContent, IOtlpExport? export)
    {
        _sources = sources;
        _captureContent = captureContent;
        _export = export;
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AgentScriptActivitySource.Name || _sources.Includes(s.Name),
            Sample = Sample,
            ActivityStarted = OnStarted,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>True when spans and logs are exported over OTLP.</summary>
    public bool Exporting => _export is not null;

    /// <summary>Reads the settings from <paramref name="environment"/> (null: the process environment) and starts listening.</summary>
    public static RunTelemetry Start(IReadOnlyDictionary<string, string?>? environment, string scriptName, TextWriter diagnostics)
    {
        environment ??= Configuration.AgentScriptConfiguration.ProcessEnvironment();
        var sources = CaptureSources.Parse(environment.GetValueOrDefault(CaptureSources.EnvironmentVariable));
        var export = OtlpSettings.IsConfigured(environment) ? OtlpSettings.Create(environment, scriptName, sources, diagnostics) : null;
        return new RunTelemetry(sources, CapturedAttributes.ContentCaptureOn(environment), export);
    }

    /// <summary>Adds the OTLP log sink to the host's logger when exporting.</summary>
    public void ConfigureLogging(LoggerConfiguration configuration) => _export?.ConfigureLogging(configuration);

    /// <summary>Starts the run's root Activity (before the run record is written, so the record gets its trace id).</summary>
    public void StartRoot(string scriptName, string mode)
    {
        _root = AgentScriptActivitySource.Source.StartActivity(AgentScriptActivitySource.RunOperationName, ActivityKind.Internal);
        if (_root is null)
        {
            return;
        }
        _root.DisplayName = scriptName + " " + mode;
        _root.SetCustomProperty(SpanRecording.RootProperty, true);
        if (_root.IsAllDataRequested)
        {
            _root.SetTag("agentscript.script_name", scriptName);
            _root.SetTag("agentscript.mode", mode);
        }
    }

    /// <summary>Tags the root with the run's execution id.</summary>
    public void Attach(AgentRun run)
    {
        if (_root is { IsAllDataRequested: true } root)
        {
            root.SetTag(AgentScriptActivitySource.ExecutionIdAttribute, run.ExecutionId);
        }
    }

    /// <summary>Stops the root with the run's status.</summary>
    public void End(AgentRun? run)
    {
        if (_root is not { } root)
        {
            return;
        }
        var status = run?.EndStatus;
        root.SetStatus(status is RunStatus.Failed ? ActivityStatusCode.Error : ActivityStatusCode.Ok, status?.ToName());
        if (root.IsAllDataRequested && status is { } s)
        {
            root.SetTag("agentscript.status", s.ToName());
        }
        root.Stop();
        _root = null;
    }

    /// <summary>Stops listening; flushes the export within its bounded time.</summary>
    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        if (_export is not null)
        {
            await _export.ShutdownAsync().ConfigureAwait(false);
        }
    }

    private ActivitySamplingResult Sample(ref ActivityCreationOptions<ActivityContext> options)
    {
        if (options.Source.Name == AgentScriptActivitySource.Name)
        {
            // The root is made before the run exists; traced calls outside a run still get ids (and export).
            return options.Name == AgentScriptActivitySource.RunOperationName || AgentRun.Current is not null
                ? ActivitySamplingResult.AllDataAndRecorded
                : ActivitySamplingResult.PropagationData;
        }
        return AgentRun.Current is not null ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None;
    }

    private void OnStarted(Activity activity)
    {
        if (AgentRun.Current is not { } run)
        {
            return;
        }
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(AgentScriptActivitySource.ExecutionIdAttribute, run.ExecutionId);
        }
        if (activity.Source.Name != AgentScriptActivitySource.Name)
        {
            CapturedSpan.Start(activity, run);
        }
    }

    private void OnStopped(Activity activity)
    {
        if (activity.Source.Name != AgentScriptActivitySource.Name)
        {
            CapturedSpan.Stop(activity, _captureContent);
        }
    }
}
