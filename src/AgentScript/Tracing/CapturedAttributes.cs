// Job: turn a captured Activity's OpenTelemetry attributes into stored span properties (names, redaction).
using System.Diagnostics;
using AgentScript.Sink;

namespace AgentScript.Tracing;

/// <summary>
/// The stored names of a captured span's attributes. HTTP and GenAI attributes of the OpenTelemetry semantic
/// conventions get short snake_case names (see docs/architecture.md, "Tracing"); any other attribute is kept with
/// its dots turned into underscores. URLs lose their user info and query values; GenAI message contents are kept
/// only when the GenAI content-capture switch is on, and are made safe as JSON.
/// </summary>
internal static class CapturedAttributes
{
    public const string HttpMethod = "http_method";
    public const string Url = "url";
    public const string HttpStatusCode = "http_status_code";
    public const string ServerAddress = "server_address";
    public const string ErrorType = "error_type";
    public const string ErrorMessage = "error_message";
    public const string GenAiOperation = "gen_ai_operation";
    public const string GenAiProvider = "gen_ai_provider";
    public const string GenAiRequestModel = "gen_ai_request_model";
    public const string GenAiResponseModel = "gen_ai_response_model";
    public const string InputTokens = "input_tokens";
    public const string OutputTokens = "output_tokens";
    public const string FinishReasons = "finish_reasons";
    public const string InputMessages = "gen_ai_input_messages";
    public const string OutputMessages = "gen_ai_output_messages";
    public const string SystemInstructions = "gen_ai_system_instructions";

    /// <summary>The switch Microsoft.Extensions.AI and other GenAI instrumentations read for message contents.</summary>
    public const string ContentCaptureVariable = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["http.request.method"] = HttpMethod,
        ["url.full"] = Url,
        ["http.response.status_code"] = HttpStatusCode,
        ["server.address"] = ServerAddress,
        ["error.type"] = ErrorType,
        ["gen_ai.operation.name"] = GenAiOperation,
        ["gen_ai.provider.name"] = GenAiProvider,
        ["gen_ai.system"] = GenAiProvider,
        ["gen_ai.request.model"] = GenAiRequestModel,
        ["gen_ai.response.model"] = GenAiResponseModel,
        ["gen_ai.usage.input_tokens"] = InputTokens,
        ["gen_ai.usage.output_tokens"] = OutputTokens,
        ["gen_ai.response.finish_reasons"] = FinishReasons,
    };

    private static readonly Dictionary<string, string> Contents = new(StringComparer.Ordinal)
    {
        ["gen_ai.input.messages"] = InputMessages,
        ["gen_ai.output.messages"] = OutputMessages,
        ["gen_ai.system_instructions"] = SystemInstructions,
        ["gen_ai.tool.call.arguments"] = "gen_ai_tool_call_arguments",
        ["gen_ai.tool.call.result"] = "gen_ai_tool_call_result",
    };

    /// <summary>The stored function name: <c>HTTP GET host</c>, the GenAI display name (<c>chat model</c>), else the display name.</summary>
    public static string SpanName(Activity activity)
    {
        if (activity.GetTagItem("http.request.method") is { } method)
        {
            var host = activity.GetTagItem("server.address");
            return host is null ? "HTTP " + method : "HTTP " + method + " " + host;
        }
        return string.IsNullOrEmpty(activity.DisplayName) ? activity.OperationName : activity.DisplayName;
    }

    /// <summary>The attributes to store for <paramref name="activity"/>.</summary>
    public static Dictionary<string, object?> From(Activity activity, bool captureMessageContent)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in activity.EnumerateTagObjects())
        {
            if (value is null || key == AgentScriptActivitySource.ExecutionIdAttribute)
            {
                continue;
            }
            if (Contents.TryGetValue(key, out var contentName))
            {
                if (captureMessageContent)
                {
                    result[contentName] = ValueSanitizer.SanitizeJson(value.ToString() ?? "", ValueLimits.Payload);
                }
                continue;
            }
            if (Renamed.TryGetValue(key, out var name))
            {
                result[name] = key == "url.full" ? RedactUrl(value.ToString()) : Simple(value);
            }
            else
            {
                result[key.Replace('.', '_')] = Simple(value);
            }
        }
        return result;
    }

    /// <summary>True when <see cref="ContentCaptureVariable"/> is <c>true</c> in <paramref name="environment"/>.</summary>
    public static bool ContentCaptureOn(IReadOnlyDictionary<string, string?> environment) =>
        environment.TryGetValue(ContentCaptureVariable, out var v) && string.Equals(v?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The URL without user info, with every query value replaced by <c>*</c>.</summary>
    public static string? RedactUrl(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return url;
        }
        var builder = new UriBuilder(uri) { UserName = "", Password = "" };
        if (builder.Query.Length > 1)
        {
            var pairs = builder.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)[0] + "=*");
            builder.Query = string.Join("&", pairs);
        }
        return builder.Uri.AbsoluteUri;
    }

    private static object? Simple(object value) => value switch
    {
        string or bool or int or long or double or float or short or byte or decimal => value,
        string[] strings => string.Join(",", strings),
        IEnumerable<object> items => string.Join(",", items),
        _ => value.ToString(),
    };
}
