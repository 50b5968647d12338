// Job: export a script's Activities and log events over OTLP with the OpenTelemetry .NET exporters.
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Core;

namespace AgentScript.Tracing;

/// <summary>
/// Spans through an OpenTelemetry <see cref="TracerProvider"/> listening to the product's source and the captured
/// sources; log events through Serilog.Sinks.OpenTelemetry on a logger of its own, so the host's logger can close
/// without waiting for the collector. Both send in the background and are flushed at most for
/// <see cref="OtlpSettings.ShutdownTimeout"/> at the end.
/// </summary>
internal sealed class OtlpExport : IOtlpExport
{
    private readonly TracerProvider _traces;
    private readonly Logger _logs;

    public OtlpExport(string scriptName, CaptureSources sources)
    {
        var builder = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService(scriptName))
            .AddSource(AgentScriptActivitySource.Name);
        if (!sources.IsNone)
        {
            builder.AddSource([.. sources.Names]);
        }
        _traces = builder.AddOtlpExporter().Build()
            ?? throw new InvalidOperationException("The OpenTelemetry tracer provider could not be built.");
        _logs = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.OpenTelemetry(o => o.ResourceAttributes = new Dictionary<string, object> { ["service.name"] = scriptName })
            .CreateLogger();
    }

    public void ConfigureLogging(LoggerConfiguration configuration) => configuration.WriteTo.Logger(_logs);

    public async Task ShutdownAsync()
    {
        var timeoutMs = (int)OtlpSettings.ShutdownTimeout.TotalMilliseconds;
        var traces = Task.Run(() =>
        {
            _traces.ForceFlush(timeoutMs);
            _traces.Dispose();
        });
        var logs = Task.Run(_logs.Dispose);
        try
        {
            // Export failures are the collector's problem, never the script's: a bounded wait, then the process may end.
            await Task.WhenAll(traces, logs).WaitAsync(OtlpSettings.ShutdownTimeout + TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Timed out or failed: nothing more to do.
        }
    }
}
