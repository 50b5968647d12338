// Job: decide whether OTLP export is configured and create it without loading the exporter otherwise.
using System.Runtime.CompilerServices;
using Serilog;

namespace AgentScript.Tracing;

/// <summary>The OTLP export of a run, seen by the host without naming any OpenTelemetry type.</summary>
internal interface IOtlpExport
{
    /// <summary>Adds the log exporter to the host's logger.</summary>
    void ConfigureLogging(LoggerConfiguration configuration);

    /// <summary>Flushes and stops both exporters, waiting at most the shutdown timeout.</summary>
    Task ShutdownAsync();
}

/// <summary>
/// Export is on when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or the traces/logs specific one) is set; the
/// exporters then read the other standard variables (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>_HEADERS</c>,
/// <c>_TIMEOUT</c>, <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>) themselves.
/// </summary>
internal static class OtlpSettings
{
    /// <summary>How long the end of a script waits for the last export at most.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    /// <summary>True when an OTLP endpoint is configured.</summary>
    public static bool IsConfigured(IReadOnlyDictionary<string, string?> environment) =>
        !string.IsNullOrWhiteSpace(environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT"))
        || !string.IsNullOrWhiteSpace(environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
        || !string.IsNullOrWhiteSpace(environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"));

    /// <summary>
    /// Creates the export. Kept out of line so the OpenTelemetry assemblies load only when export is configured
    /// (start-up cost of every other script). A broken configuration is reported and export stays off.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IOtlpExport? Create(IReadOnlyDictionary<string, string?> environment, string scriptName, CaptureSources sources, TextWriter diagnostics)
    {
        try
        {
            return new OtlpExport(scriptName, sources);
        }
        catch (Exception e)
        {
            diagnostics.WriteLine($"{scriptName}: OTLP export is off: {e.Message} Fix: check OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL (grpc or http/protobuf).");
            return null;
        }
    }
}
