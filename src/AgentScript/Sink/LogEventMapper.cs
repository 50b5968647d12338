using System.Globalization;
using AgentScript.Model;
using Serilog.Events;
using Serilog.Parsing;

namespace AgentScript.Sink;

/// <summary>
/// Turns a Serilog <see cref="LogEvent"/> into a stored <see cref="LogEventRecord"/>: properties named in
/// <see cref="LogProperties"/> become columns, the rest go (made safe) to <c>extra</c>.
/// </summary>
public static class LogEventMapper
{
    private static readonly string HostName = SafeHostName();

    /// <summary>The property carrying a payload as JSON text (the final response); stored in <c>payload</c>, not <c>extra</c>.</summary>
    public const string PayloadProperty = "PayloadJson";

    /// <summary>Maps an event. Never throws; call it on the logging thread (values may change later).</summary>
    public static LogEventRecord Map(LogEvent logEvent, ValueLimits? propertyLimits = null, ValueLimits? payloadLimits = null)
    {
        propertyLimits ??= ValueLimits.Properties;
        payloadLimits ??= ValueLimits.Payload;
        var props = logEvent.Properties;
        var level = LogLevels.FromSerilog(logEvent.Level);

        string? category = null;
        string? source = null;
        string? sourceContext = null;
        IReadOnlyList<string>? tags = null;
        string? payload = null;
        int? line = null;
        var extra = new List<KeyValuePair<string, LogEventPropertyValue>>(props.Count);
        string? executionId = null, scriptName = null, functionName = null, filePath = null, spanId = null, parentSpanId = null, correlationId = null;

        foreach (var (name, value) in props)
        {
            switch (name)
            {
                case LogProperties.ExecutionId: executionId = Text(value); break;
                case LogProperties.ScriptName: scriptName = Text(value); break;
                case LogProperties.FunctionName: functionName = Text(value); break;
                case LogProperties.FilePath: filePath = Text(value); break;
                case LogProperties.SpanId: spanId = Text(value); break;
                case LogProperties.ParentSpanId: parentSpanId = Text(value); break;
                case LogProperties.CorrelationId: correlationId = Text(value); break;
                case LogProperties.Category: category = Text(value); break;
                case LogProperties.Source: source = Text(value); break;
                case LogProperties.SourceContext: sourceContext = Text(value); break;
                case LogProperties.Tags: tags = TagList(value); break;
                case LogProperties.LineNumber:
                    line = value is ScalarValue { Value: int i } ? i
                        : int.TryParse(Text(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
                    break;
                case PayloadProperty:
                    payload = ValueSanitizer.SanitizeJson(value is ScalarValue { Value: string json } ? json : ValueSanitizer.SerilogValueToJson(value, payloadLimits), payloadLimits);
                    break;
                default:
                    extra.Add(new(name, value));
                    break;
            }
        }

        return new LogEventRecord
        {
            EventId = EventIds.New(),
            Timestamp = logEvent.Timestamp.ToUniversalTime(),
            Level = level,
            Message = ValueSanitizer.TruncateString(Render(logEvent), new ValueLimits { MaxStringLength = Math.Max(propertyLimits.MaxStringLength, 10_000) }),
            MessageTemplate = ValueSanitizer.TruncateString(logEvent.MessageTemplate.Text, new ValueLimits { MaxStringLength = 10_000 }),
            ExecutionId = executionId,
            ScriptName = scriptName,
            FunctionName = functionName,
            FilePath = filePath,
            LineNumber = line,
            Category = string.IsNullOrWhiteSpace(category) ? level : category,
            Source = source ?? sourceContext,
            Tags = tags,
            SpanId = spanId,
            ParentSpanId = parentSpanId,
            CorrelationId = correlationId,
            ExtraJson = extra.Count == 0 ? null : ValueSanitizer.PropertiesToJson(extra, propertyLimits),
            PayloadJson = payload,
            Exception = logEvent.Exception is { } ex ? SafeException(ex) : null,
            Host = HostName,
            Pid = Environment.ProcessId,
            ThreadId = Environment.CurrentManagedThreadId,
        };
    }

    private static string Render(LogEvent logEvent)
    {
        try
        {
            // Like RenderMessage, but string values are not quoted: the stored text reads as a sentence and
            // searches for a value find it as a plain word.
            var writer = new StringWriter(CultureInfo.InvariantCulture);
            foreach (var token in logEvent.MessageTemplate.Tokens)
            {
                if (token is PropertyToken secret && ValueSanitizer.IsSecretKey(secret.PropertyName))
                {
                    // A secret named in the template never reaches the stored text, whatever enrichers ran.
                    writer.Write(ValueSanitizer.Redacted);
                }
                else if (token is PropertyToken pt && logEvent.Properties.TryGetValue(pt.PropertyName, out var value) && value is ScalarValue { Value: string text })
                {
                    writer.Write(text);
                }
                else
                {
                    token.Render(logEvent.Properties, writer, CultureInfo.InvariantCulture);
                }
            }
            return writer.ToString();
        }
        catch (Exception)
        {
            // A property whose ToString() throws must not lose the event.
            return logEvent.MessageTemplate.Text;
        }
    }

    private static ExceptionInfo SafeException(Exception ex)
    {
        string message, trace;
        try
        {
            message = ex.Message;
        }
        catch (Exception)
        {
            message = "<message unavailable>";
        }
        try
        {
            trace = ex.ToString();
        }
        catch (Exception)
        {
            trace = ex.StackTrace ?? "";
        }
        var limits = new ValueLimits { MaxStringLength = 100_000 };
        return new ExceptionInfo(ex.GetType().FullName ?? ex.GetType().Name, ValueSanitizer.TruncateString(message, limits), ValueSanitizer.TruncateString(trace, limits));
    }

    private static string? Text(LogEventPropertyValue value)
    {
        try
        {
            var s = value is ScalarValue sv ? sv.Value switch
            {
                null => null,
                string str => str,
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var o => o.ToString(),
            } : value.ToString();
            return s is null ? null : ValueSanitizer.TruncateString(s, new ValueLimits { MaxStringLength = 1000 });
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static List<string>? TagList(LogEventPropertyValue value)
    {
        if (value is SequenceValue seq)
        {
            var list = new List<string>();
            foreach (var e in seq.Elements.Take(100))
            {
                if (Text(e) is { } t)
                {
                    list.Add(t);
                }
            }
            return list;
        }
        var single = Text(value);
        return single is null ? null : [.. single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    private static string SafeHostName()
    {
        try
        {
            return Environment.MachineName;
        }
        catch (Exception)
        {
            return "unknown";
        }
    }
}
