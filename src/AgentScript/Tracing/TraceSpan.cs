using System.ComponentModel;
using System.Diagnostics;
using AgentScript.Model;
using Serilog;
using Serilog.Context;
using Serilog.Events;

namespace AgentScript.Tracing;

/// <summary>
/// One traced call, as a <see cref="Activity"/> of <see cref="AgentScriptActivitySource"/>. The code generated for
/// <see cref="TracedAttribute"/> opens a span around each call of a traced method; the span logs <c>SPAN_START</c>
/// and <c>SPAN_END</c> events (with <c>duration_ms</c> and <c>outcome</c>) (start at Debug level, so the console
/// shows one line per call; the store keeps both) through the run that owns it, and, while it is open, puts
/// <c>SpanId</c>, <c>ParentSpanId</c> and <c>FunctionName</c> on every event logged in the call — on any thread or
/// task that flows from it. The ids are the Activity's, and the Activity is <see cref="Activity.Current"/> while the
/// call runs, so HTTP and LLM calls made inside it become its children.
/// </summary>
/// <remarks>Generated code uses this type; scripts do not need to.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TraceSpan : IDisposable
{
    /// <summary>Property on <c>SPAN_END</c>: how long the call took, in milliseconds.</summary>
    public const string DurationProperty = "duration_ms";

    /// <summary>Property on <c>SPAN_END</c>: <c>success</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public const string OutcomeProperty = "outcome";

    private readonly Activity _activity;
    private readonly IDisposable _context;
    private readonly long _started;
    private readonly ILogger _logger;
    private bool _ended;
    private bool _disposed;

    private TraceSpan(string functionName, Activity activity)
    {
        FunctionName = functionName;
        _activity = activity;
        activity.SetCustomProperty(SpanRecording.SpanProperty, this);
        SpanId = activity.SpanId.ToHexString();
        ParentSpanId = SpanRecording.StoredParentId(activity);
        // The span's own events carry its ids explicitly, so they are right even without Enrich.FromLogContext().
        var logger = SpanLogger.Current().ForContext(LogProperties.SpanId, SpanId).ForContext(LogProperties.FunctionName, FunctionName);
        _logger = ParentSpanId is null ? logger : logger.ForContext(LogProperties.ParentSpanId, ParentSpanId);
        _context = ParentSpanId is null
            ? new Bookmarks(LogContext.PushProperty(LogProperties.SpanId, SpanId), LogContext.PushProperty(LogProperties.FunctionName, FunctionName))
            : new Bookmarks(
                LogContext.PushProperty(LogProperties.SpanId, SpanId),
                LogContext.PushProperty(LogProperties.ParentSpanId, ParentSpanId),
                LogContext.PushProperty(LogProperties.FunctionName, FunctionName));
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>The innermost traced call enclosing the code running now, or null outside any traced call.</summary>
    public static TraceSpan? Current
    {
        get
        {
            for (var a = Activity.Current; a is not null; a = a.Parent)
            {
                if (a.GetCustomProperty(SpanRecording.SpanProperty) is TraceSpan span)
                {
                    return span;
                }
            }
            return null;
        }
    }

    /// <summary>This span's id (16 hex digits): the Activity's span id.</summary>
    public string SpanId { get; }

    /// <summary>The enclosing recorded span's id, or null for a span directly under the run.</summary>
    public string? ParentSpanId { get; }

    /// <summary>The traced method (<c>Type.Method</c>, or the name given to <see cref="TracedAttribute"/>).</summary>
    public string FunctionName { get; }

    /// <summary>The Activity behind this span.</summary>
    public Activity Activity => _activity;

    /// <summary>How long the span has been open.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>Opens a span as a child of <see cref="Activity.Current"/> and logs <c>SPAN_START</c>.</summary>
    /// <param name="functionName">The span's <c>function_name</c>.</param>
    public static TraceSpan Start(string functionName)
    {
        // Without any listener (code running outside a run and without OpenTelemetry) the source hands out nothing;
        // a plain Activity still gives W3C ids and flows through async code the same way.
        var activity = AgentScriptActivitySource.Source.StartActivity(functionName, ActivityKind.Internal)
            ?? new Activity(functionName).Start();
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(SpanRecording.FunctionNameAttribute, functionName);
        }
        var span = new TraceSpan(functionName, activity);
        span._logger
            .ForContext(LogProperties.Category, LogCategories.SpanStart)
            .Debug("{FunctionName} started", functionName);
        return span;
    }

    /// <summary>Logs <c>SPAN_END</c> with outcome <c>success</c>.</summary>
    public void Complete()
    {
        if (_ended)
            return;
        _ended = true;
        var duration = DurationMs();
        _activity.SetStatus(ActivityStatusCode.Ok);
        _logger
            .ForContext(LogProperties.Category, LogCategories.SpanEnd)
            .ForContext(OutcomeProperty, "success")
            .Information("{FunctionName} completed in {" + DurationProperty + "} ms", FunctionName, duration);
    }

    /// <summary>
    /// Logs <c>SPAN_END</c> with the exception (outcome <c>failed</c>, or <c>cancelled</c> for an
    /// <see cref="OperationCanceledException"/>). Returns false so generated code can call it from an exception
    /// filter and let the exception continue untouched.
    /// </summary>
    /// <param name="exception">What the traced method threw.</param>
    public bool Fail(Exception exception)
    {
        if (_ended)
            return false;
        _ended = true;
        var duration = DurationMs();
        var cancelled = exception is OperationCanceledException;
        _activity.SetStatus(ActivityStatusCode.Error, cancelled ? "cancelled" : exception.Message);
        if (_activity.IsAllDataRequested)
        {
            _activity.SetTag(SpanRecording.ErrorTypeAttribute, exception.GetType().FullName);
        }
        _logger
            .ForContext(LogProperties.Category, LogCategories.SpanEnd)
            .ForContext(OutcomeProperty, cancelled ? "cancelled" : "failed")
            .Write(cancelled ? LogEventLevel.Warning : LogEventLevel.Error, exception,
                "{FunctionName} " + (cancelled ? "was cancelled" : "failed") + " after {" + DurationProperty + "} ms", FunctionName, duration);
        return false;
    }

    /// <summary>Closes the span: stops the Activity (restoring the enclosing one) and the log context.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _context.Dispose();
        // Activity.Stop restores the Activity that was current when this one started.
        _activity.Stop();
    }

    private double DurationMs() => Math.Round(Stopwatch.GetElapsedTime(_started).TotalMilliseconds, 3);

    private sealed class Bookmarks(params IDisposable[] bookmarks) : IDisposable
    {
        public void Dispose()
        {
            // LogContext bookmarks must be disposed in reverse order of pushing.
            for (var i = bookmarks.Length - 1; i >= 0; i--)
                bookmarks[i].Dispose();
        }
    }
}
