// Job: record an Activity of another source (HttpClient, Microsoft.Extensions.AI, …) as a span of the run.
using System.Diagnostics;
using AgentScript.Hosting;
using AgentScript.Model;
using AgentScript.Sink;
using Serilog;
using Serilog.Events;

namespace AgentScript.Tracing;

/// <summary>
/// A span recorded from another library's Activity: <c>SPAN_START</c> when it starts, <c>SPAN_END</c> with the
/// duration, outcome and the Activity's attributes (renamed by <see cref="CapturedAttributes"/>) when it stops —
/// the same events a <see cref="TraceSpan"/> writes, so queries, the report and the CLI treat both alike.
/// </summary>
internal sealed class CapturedSpan
{
    private readonly ILogger _logger;
    private readonly string _functionName;

    private CapturedSpan(ILogger logger, string functionName)
    {
        _logger = logger;
        _functionName = functionName;
    }

    /// <summary>Starts recording <paramref name="activity"/> in <paramref name="run"/>.</summary>
    public static void Start(Activity activity, AgentRun run)
    {
        if (activity.GetCustomProperty(SpanRecording.SpanProperty) is not null)
        {
            return; // Already recorded (a second host listening in the same process).
        }
        var functionName = CapturedAttributes.SpanName(activity);
        var parent = SpanRecording.StoredParentId(activity);
        var logger = SpanLogger.For(run)
            .ForContext(LogProperties.SpanId, activity.SpanId.ToHexString())
            .ForContext(LogProperties.FunctionName, functionName)
            .ForContext(LogProperties.Source, activity.Source.Name);
        if (parent is not null)
        {
            logger = logger.ForContext(LogProperties.ParentSpanId, parent);
        }
        var span = new CapturedSpan(logger, functionName);
        activity.SetCustomProperty(SpanRecording.SpanProperty, span);
        logger.ForContext(LogProperties.Category, LogCategories.SpanStart).Debug("{FunctionName} started", functionName);
    }

    /// <summary>Writes <c>SPAN_END</c> for <paramref name="activity"/> if it was recorded.</summary>
    public static void Stop(Activity activity, bool captureMessageContent)
    {
        if (activity.GetCustomProperty(SpanRecording.SpanProperty) is not CapturedSpan span)
        {
            return;
        }
        activity.SetCustomProperty(SpanRecording.SpanProperty, null);
        var attributes = CapturedAttributes.From(activity, captureMessageContent);
        var duration = Math.Round(activity.Duration.TotalMilliseconds, 3);
        var exception = FirstException(activity);
        var failed = activity.Status == ActivityStatusCode.Error || attributes.ContainsKey(CapturedAttributes.ErrorType);
        // A timeout and a cancellation look alike from inside HttpClient (both a TaskCanceledException), so any
        // error is "failed" here and error_type says which.
        var outcome = failed ? "failed" : "success";
        var logger = span._logger
            .ForContext(LogProperties.Category, LogCategories.SpanEnd)
            .ForContext(TraceSpan.OutcomeProperty, outcome);
        foreach (var (name, value) in attributes)
        {
            logger = logger.ForContext(name, value);
        }
        if (exception.Message is not null)
        {
            logger = logger.ForContext(CapturedAttributes.ErrorMessage, exception.Message);
        }
        // An error answer (HTTP 500) is a warning: the caller may handle it; an exception is an error.
        var level = !failed ? LogEventLevel.Information : exception.Type is not null || !attributes.ContainsKey(CapturedAttributes.HttpStatusCode) ? LogEventLevel.Error : LogEventLevel.Warning;
        var (template, values) = Message(span._functionName, attributes, outcome, duration);
        logger.Write(level, template, values);
    }

    private static (string Template, object?[] Values) Message(string functionName, IReadOnlyDictionary<string, object?> a, string outcome, double duration)
    {
        var verb = outcome == "success" ? "completed" : "failed";
        if (a.TryGetValue(CapturedAttributes.HttpStatusCode, out var status))
        {
            return ("{FunctionName} answered {" + CapturedAttributes.HttpStatusCode + "} in {" + TraceSpan.DurationProperty + "} ms",
                [functionName, status, duration]);
        }
        if (a.TryGetValue(CapturedAttributes.InputTokens, out var input) | a.TryGetValue(CapturedAttributes.OutputTokens, out var output))
        {
            return ("{FunctionName} " + verb + " in {" + TraceSpan.DurationProperty + "} ms ({" + CapturedAttributes.InputTokens + "} input, {" + CapturedAttributes.OutputTokens + "} output tokens)",
                [functionName, duration, input, output]);
        }
        return ("{FunctionName} " + verb + " after {" + TraceSpan.DurationProperty + "} ms", [functionName, duration]);
    }

    private static (string? Type, string? Message) FirstException(Activity activity)
    {
        foreach (var e in activity.Events)
        {
            if (e.Name != "exception")
            {
                continue;
            }
            string? type = null, message = null;
            foreach (var tag in e.Tags)
            {
                if (tag.Key == "exception.type") type = tag.Value?.ToString();
                else if (tag.Key == "exception.message") message = tag.Value?.ToString();
            }
            return (type, message is null ? null : ValueSanitizer.TruncateString(message, new ValueLimits { MaxStringLength = 2000 }));
        }
        return (null, activity.Status == ActivityStatusCode.Error ? activity.StatusDescription : null);
    }
}
