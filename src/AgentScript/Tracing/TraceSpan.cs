using System.ComponentModel;
using System.Diagnostics;
using AgentScript.Model;
using Serilog;
using Serilog.Context;
using Serilog.Events;

namespace AgentScript.Tracing;

/// <summary>
/// One traced call. The code generated for <see cref="TracedAttribute"/> opens a span around each call of a traced
/// method; the span logs <c>SPAN_START</c> and <c>SPAN_END</c> events (with <c>duration_ms</c> and <c>outcome</c>)
/// (start at Debug level, so the console shows one line per call; the store keeps both), and, while it is open, puts <c>SpanId</c>, <c>ParentSpanId</c> and <c>FunctionName</c> on every event logged in
/// the call — on any thread or task that flows from it, because the current span lives in an <see cref="AsyncLocal{T}"/>.
/// </summary>
/// <remarks>Generated code uses this type; scripts do not need to.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TraceSpan : IDisposable
{
    /// <summary>Property on <c>SPAN_END</c>: how long the call took, in milliseconds.</summary>
    public const string DurationProperty = "duration_ms";

    /// <summary>Property on <c>SPAN_END</c>: <c>success</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public const string OutcomeProperty = "outcome";

    private static readonly AsyncLocal<TraceSpan?> CurrentSpan = new();

    private readonly TraceSpan? _parent;
    private readonly IDisposable _context;
    private readonly long _started;
    private readonly ILogger _logger;
    private bool _ended;
    private bool _disposed;

    private TraceSpan(string functionName, TraceSpan? parent)
    {
        FunctionName = functionName;
        _parent = parent;
        SpanId = ActivitySpanId.CreateRandom().ToHexString();
        ParentSpanId = parent?.SpanId;
        // The span's own events carry its ids explicitly, so they are right even without Enrich.FromLogContext().
        var logger = OwnerLogger().ForContext(LogProperties.SpanId, SpanId).ForContext(LogProperties.FunctionName, FunctionName);
        _logger = ParentSpanId is null ? logger : logger.ForContext(LogProperties.ParentSpanId, ParentSpanId);
        _context = ParentSpanId is null
            ? new Bookmarks(LogContext.PushProperty(LogProperties.SpanId, SpanId), LogContext.PushProperty(LogProperties.FunctionName, FunctionName))
            : new Bookmarks(
                LogContext.PushProperty(LogProperties.SpanId, SpanId),
                LogContext.PushProperty(LogProperties.ParentSpanId, ParentSpanId),
                LogContext.PushProperty(LogProperties.FunctionName, FunctionName));
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>The span that encloses the code running now, or null outside any traced call.</summary>
    public static TraceSpan? Current => CurrentSpan.Value;

    /// <summary>This span's id (16 hex digits).</summary>
    public string SpanId { get; }

    /// <summary>The enclosing span's id, or null for a top-level span.</summary>
    public string? ParentSpanId { get; }

    /// <summary>The traced method (<c>Type.Method</c>, or the name given to <see cref="TracedAttribute"/>).</summary>
    public string FunctionName { get; }

    /// <summary>How long the span has been open.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>Opens a span as a child of <see cref="Current"/> and logs <c>SPAN_START</c>.</summary>
    /// <param name="functionName">The span's <c>function_name</c>.</param>
    public static TraceSpan Start(string functionName)
    {
        var span = new TraceSpan(functionName, CurrentSpan.Value);
        CurrentSpan.Value = span;
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
        _logger
            .ForContext(LogProperties.Category, LogCategories.SpanEnd)
            .ForContext(OutcomeProperty, cancelled ? "cancelled" : "failed")
            .Write(cancelled ? LogEventLevel.Warning : LogEventLevel.Error, exception,
                "{FunctionName} " + (cancelled ? "was cancelled" : "failed") + " after {" + DurationProperty + "} ms", FunctionName, duration);
        return false;
    }

    /// <summary>Closes the span: restores the enclosing span and log context.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _context.Dispose();
        // Only restore when this span is still current; an out-of-order dispose must not resurrect a closed span.
        if (ReferenceEquals(CurrentSpan.Value, this))
            CurrentSpan.Value = _parent;
    }

    // The run (or runtime) that owns the span logs it, so its events reach that run's store with its execution id.
    // With no AgentScript runtime in the process, the span goes to Serilog's Log.Logger: the program's own logger.
    private static ILogger OwnerLogger() => Hosting.AgentRuntime.SpanLogger() ?? Log.Logger;

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
