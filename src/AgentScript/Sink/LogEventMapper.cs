using System.Globalization;
using System.Text;
using AgentScript.Model;
using AgentScript.Sanitizing;
using Serilog.Events;
using Serilog.Parsing;

namespace AgentScript.Sink;

/// <summary>
/// Turns a Serilog <see cref="LogEvent"/> into a stored <see cref="LogEventRecord"/>: properties named in
/// <see cref="LogProperties"/> become columns, the rest go (made safe) to <c>extra</c>. Those names cannot be
/// written in a message template, so a template property never changes the record's own fields; every text taken
/// from the event (message, template, columns, exception) goes through the value writer's text rule (secrets
/// redacted by name and by value, lengths cut).
/// </summary>
internal static class LogEventMapper
{
    private static readonly string HostName = SafeHostName();
    private static readonly int ProcessId = Environment.ProcessId;

    // The limits the mapper applies to columns (as their own instances, so no call allocates them).
    private const int MessageMaxLength = 10_000;
    private const int ColumnMaxLength = 1000;
    private static readonly int DataUriMaxLength = new ValueLimits().MaxDataUriLength;

    // Properties that become columns never go to extra.
    private static readonly Func<string, bool> IsColumnProperty = static name => IsColumn(name);
    // A template's own {SourceContext} is the caller's data: kept in extra, never the record's source.
    private static readonly Func<string, bool> IsColumnButSourceContext = static name => name != LogProperties.SourceContext && IsColumn(name);

    /// <summary>The property carrying a payload as JSON text (the final response); stored in <c>payload</c>, not <c>extra</c>.</summary>
    public const string PayloadProperty = "AgentScript.PayloadJson";

    /// <summary>True when <paramref name="name"/> is stored in a column of its own (or the payload) rather than in <c>extra</c>.</summary>
    public static bool IsColumn(string name) => name switch
    {
        LogProperties.ExecutionId or LogProperties.ScriptName or LogProperties.FunctionName or LogProperties.FilePath
            or LogProperties.SpanId or LogProperties.ParentSpanId or LogProperties.CorrelationId or LogProperties.Category
            or LogProperties.Source or LogProperties.SourceContext or LogProperties.Tags or LogProperties.LineNumber
            or PayloadProperty => true,
        _ => false,
    };

    /// <summary>The column values found among an event's properties.</summary>
    private struct Columns
    {
        public string? Category, Source, SourceContext, Payload, ExecutionId, ScriptName, FunctionName, FilePath, SpanId, ParentSpanId, CorrelationId;
        public IReadOnlyList<string>? Tags;
        public int? Line;
        public int ExtraCount;
    }

    /// <summary>Maps an event logged on the current thread. Never throws.</summary>
    public static LogEventRecord Map(LogEvent logEvent, ValueLimits? propertyLimits = null, ValueLimits? payloadLimits = null) =>
        Map(logEvent, Environment.CurrentManagedThreadId, propertyLimits, payloadLimits);

    /// <summary>
    /// Maps an event logged on thread <paramref name="threadId"/> (the sink maps on its background writer; Serilog
    /// values are immutable, so this is safe). Never throws.
    /// </summary>
    public static LogEventRecord Map(LogEvent logEvent, int threadId, ValueLimits? propertyLimits = null, ValueLimits? payloadLimits = null)
    {
        propertyLimits ??= ValueLimits.Properties;
        payloadLimits ??= ValueLimits.Payload;
        var props = logEvent.Properties;
        var level = LogLevels.FromSerilog(logEvent.Level);

        var secrets = propertyLimits.Secrets;
        var columns = new Columns();
        // Serilog keeps event properties in a Dictionary: enumerate it without boxing its enumerator.
        if (props is Dictionary<string, LogEventPropertyValue> dict)
        {
            foreach (var (name, value) in dict)
            {
                Collect(ref columns, name, value, payloadLimits, secrets);
            }
        }
        else
        {
            foreach (var (name, value) in props)
            {
                Collect(ref columns, name, value, payloadLimits, secrets);
            }
        }

        var sourceContextIsData = columns.SourceContext is not null && IsTemplateProperty(logEvent, LogProperties.SourceContext);
        return new LogEventRecord
        {
            EventId = EventIds.New(),
            Timestamp = logEvent.Timestamp.ToUniversalTime(),
            Level = level,
            Message = TextCleaner.Clean(Render(logEvent), Math.Max(propertyLimits.MaxStringLength, MessageMaxLength), DataUriMaxLength, secrets),
            MessageTemplate = CleanTemplate(logEvent.MessageTemplate, secrets),
            ExecutionId = columns.ExecutionId,
            ScriptName = columns.ScriptName,
            FunctionName = columns.FunctionName,
            FilePath = columns.FilePath,
            LineNumber = columns.Line,
            Category = string.IsNullOrWhiteSpace(columns.Category) ? level : columns.Category,
            Source = columns.Source ?? (sourceContextIsData ? null : columns.SourceContext),
            Tags = columns.Tags,
            SpanId = columns.SpanId,
            ParentSpanId = columns.ParentSpanId,
            CorrelationId = columns.CorrelationId,
            ExtraJson = columns.ExtraCount == 0 && !sourceContextIsData ? null
                : SerilogJson.PropertiesToJson(props, sourceContextIsData ? IsColumnButSourceContext : IsColumnProperty, propertyLimits),
            PayloadJson = columns.Payload,
            Exception = logEvent.Exception is { } ex ? ExceptionText.Capture(ex, secrets) : null,
            Host = HostName,
            Pid = ProcessId,
            ThreadId = threadId,
        };
    }

    private static void Collect(ref Columns c, string name, LogEventPropertyValue value, ValueLimits payloadLimits, KnownSecrets secrets)
    {
        switch (name)
        {
            case LogProperties.ExecutionId: c.ExecutionId = Text(value, secrets); break;
            case LogProperties.ScriptName: c.ScriptName = Text(value, secrets); break;
            case LogProperties.FunctionName: c.FunctionName = Text(value, secrets); break;
            case LogProperties.FilePath: c.FilePath = Text(value, secrets); break;
            case LogProperties.SpanId: c.SpanId = Text(value, secrets); break;
            case LogProperties.ParentSpanId: c.ParentSpanId = Text(value, secrets); break;
            case LogProperties.CorrelationId: c.CorrelationId = Text(value, secrets); break;
            case LogProperties.Category: c.Category = Text(value, secrets); break;
            case LogProperties.Source: c.Source = Text(value, secrets); break;
            case LogProperties.SourceContext: c.SourceContext = Text(value, secrets); break;
            case LogProperties.Tags: c.Tags = TagList(value, secrets); break;
            case LogProperties.LineNumber:
                c.Line = value is ScalarValue { Value: int i } ? i
                    : int.TryParse(Text(value, secrets), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
                break;
            case PayloadProperty:
                c.Payload = ElementJson.Sanitize(value is ScalarValue { Value: string json } ? json : SerilogJson.ValueToJson(value, payloadLimits), payloadLimits);
                break;
            default:
                c.ExtraCount++;
                break;
        }
    }

    /// <summary>A reusable writer per thread for rendering messages (taken out while in use, so re-entry is safe).</summary>
    [ThreadStatic]
    private static StringWriter? t_renderWriter;

    private const int MaxKeptRenderChars = 64 * 1024;

    private static string Render(LogEvent logEvent)
    {
        var writer = t_renderWriter ?? new StringWriter(new StringBuilder(256), CultureInfo.InvariantCulture);
        t_renderWriter = null;
        var sb = writer.GetStringBuilder();
        sb.Clear();
        try
        {
            // Like RenderMessage, but string values are not quoted: the stored text reads as a sentence and
            // searches for a value find it as a plain word.
            var template = logEvent.MessageTemplate;
            var properties = logEvent.Properties;
            if (template.Tokens is MessageTemplateToken[] tokens)
            {
                foreach (var token in tokens)
                {
                    RenderToken(token, properties, writer, sb);
                }
            }
            else
            {
                foreach (var token in template.Tokens)
                {
                    RenderToken(token, properties, writer, sb);
                }
            }
            return sb.ToString();
        }
        catch (Exception)
        {
            // A property whose ToString() throws must not lose the event.
            return logEvent.MessageTemplate.Text;
        }
        finally
        {
            if (sb.Capacity <= MaxKeptRenderChars)
            {
                t_renderWriter = writer;
            }
        }
    }

    private static void RenderToken(MessageTemplateToken token, IReadOnlyDictionary<string, LogEventPropertyValue> properties, StringWriter writer, StringBuilder sb)
    {
        if (token is TextToken text)
        {
            sb.Append(text.Text);
            return;
        }
        if (token is PropertyToken pt)
        {
            if (SecretNames.IsSecretName(pt.PropertyName))
            {
                // A secret named in the template never reaches the stored text, whatever enrichers ran.
                sb.Append(SecretText.Redacted);
                return;
            }
            if (properties.TryGetValue(pt.PropertyName, out var value) && value is ScalarValue scalar)
            {
                if (scalar.Value is string s)
                {
                    AppendAligned(sb, s, pt.Alignment);
                    return;
                }
                // Common scalars without format or alignment: formatted straight into the buffer, as Serilog
                // would render them (IFormattable with the invariant culture), without a string per value.
                if (pt.Format is null && pt.Alignment is null && AppendScalar(sb, scalar.Value))
                {
                    return;
                }
            }
        }
        token.Render(properties, writer, CultureInfo.InvariantCulture);
    }

    private static void AppendAligned(StringBuilder sb, string value, Alignment? alignment)
    {
        if (alignment is not { } a || value.Length >= a.Width)
        {
            sb.Append(value);
            return;
        }
        if (a.Direction == AlignmentDirection.Left)
        {
            sb.Append(value).Append(' ', a.Width - value.Length);
        }
        else
        {
            sb.Append(' ', a.Width - value.Length).Append(value);
        }
    }

    private static bool AppendScalar(StringBuilder sb, object? value)
    {
        var culture = CultureInfo.InvariantCulture;
        switch (value)
        {
            case int i: sb.Append(culture, $"{i}"); return true;
            case long l: sb.Append(culture, $"{l}"); return true;
            case double d: sb.Append(culture, $"{d}"); return true;
            case bool b: sb.Append(b); return true;
            case DateTimeOffset dto: sb.Append(culture, $"{dto}"); return true;
            case DateTime dt: sb.Append(culture, $"{dt}"); return true;
            case Guid g: sb.Append(culture, $"{g}"); return true;
            case TimeSpan ts: sb.Append(culture, $"{ts}"); return true;
            case decimal m: sb.Append(culture, $"{m}"); return true;
            case float f: sb.Append(culture, $"{f}"); return true;
            default: return false;
        }
    }

    /// <summary>True when the event's own message template names <paramref name="name"/> (its value is the caller's, not the context's).</summary>
    private static bool IsTemplateProperty(LogEvent logEvent, string name)
    {
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken p && p.PropertyName == name)
            {
                return true;
            }
        }
        return false;
    }

    // Per thread: cleaned templates and context property values (see CleanedTextCache).
    [ThreadStatic] private static CleanedTextCache? t_templates;
    [ThreadStatic] private static CleanedTextCache? t_values;

    private static string CleanTemplate(MessageTemplate template, KnownSecrets secrets)
    {
        var cache = t_templates ??= new CleanedTextCache();
        if (cache.Find(template, secrets) is { } known)
        {
            return known;
        }
        var text = TextCleaner.Clean(template.Text, MessageMaxLength, DataUriMaxLength, secrets);
        cache.Add(template, secrets, text);
        return text;
    }

    private static string? Text(LogEventPropertyValue value, KnownSecrets secrets)
    {
        var cache = t_values ??= new CleanedTextCache();
        if (cache.Find(value, secrets) is { } known)
        {
            return known;
        }
        var text = UncachedText(value, secrets);
        // Strings only: they cannot change (another scalar or a sequence could hold a mutable object).
        if (text is not null && value is ScalarValue { Value: string })
        {
            cache.Add(value, secrets, text);
        }
        return text;
    }

    private static string? UncachedText(LogEventPropertyValue value, KnownSecrets secrets)
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
            return s is null ? null : TextCleaner.Clean(s, ColumnMaxLength, DataUriMaxLength, secrets);
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static List<string>? TagList(LogEventPropertyValue value, KnownSecrets secrets)
    {
        if (value is SequenceValue seq)
        {
            var list = new List<string>();
            foreach (var e in seq.Elements.Take(100))
            {
                if (Text(e, secrets) is { } t)
                {
                    list.Add(t);
                }
            }
            return list;
        }
        var single = Text(value, secrets);
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
