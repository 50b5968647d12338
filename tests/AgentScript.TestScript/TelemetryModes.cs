// Job: the test script's modes for tracing tests — HTTP calls, an LLM pipeline, ILogger — inside traced spans.
using System.Globalization;
using System.Runtime.CompilerServices;
using AgentScript.Hosting;
using AgentScript.Logging;
using AgentScript.Tracing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

internal static class TelemetryModes
{
    /// <summary>
    /// Calls {base}/ok, {base}/fail and {base}/slow inside one span, as generated [Traced] code does; only the slow
    /// call has a short timeout (1 s), so a loaded machine cannot turn the other two into timeouts.
    /// </summary>
    public static async ValueTask<EntryResult> HttpAsync(ScriptContext context)
    {
        var baseUrl = context.Arguments[0].TrimEnd('/');
        using var http = new HttpClient();
        using var impatient = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var results = new List<string>();
        using (var span = TraceSpan.Start("fetch_all"))
        {
            foreach (var path in new[] { "ok?token=s3cr3t", "fail", "slow" })
            {
                try
                {
                    using var response = await (path == "slow" ? impatient : http).GetAsync(baseUrl + "/" + path, context.CancellationToken);
                    results.Add(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                }
                catch (TaskCanceledException)
                {
                    results.Add("timeout");
                }
            }
            span.Complete();
        }
        return EntryResult.From(results);
    }

    /// <summary>Two chat calls through a real Microsoft.Extensions.AI pipeline with OpenTelemetry, inside one span.</summary>
    public static async ValueTask<EntryResult> ChatAsync(ScriptContext context)
    {
        using var client = new ChatClientBuilder(new FixedUsageChatClient()).UseOpenTelemetry().Build();
        var answers = new List<string>();
        using (var span = TraceSpan.Start("ask_model"))
        {
            for (var i = 0; i < 2; i++)
            {
                var response = await client.GetResponseAsync("What is " + i + " + 1? api_key=sk-should-not-leak", cancellationToken: context.CancellationToken);
                answers.Add(response.Text);
            }
            span.Complete();
        }
        return EntryResult.From(answers);
    }

    /// <summary>Logs through ILogger: the context's factory and a factory built with AddAgentScript().</summary>
    public static ValueTask<EntryResult> ILoggerMode(ScriptContext context)
    {
        var fromContext = context.LoggerFactory.CreateLogger("Library.Component");
        fromContext.LogInformation("ILOGGER_CONTEXT {Number}", 42);
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddAgentScript());
        var fromBuilder = factory.CreateLogger("Hosted.Service");
        using (var span = TraceSpan.Start("with_ilogger"))
        {
            fromBuilder.LogWarning("ILOGGER_BUILDER {Name}", "inside-span");
            span.Complete();
        }
        return ValueTask.FromResult(EntryResult.From(2));
    }

    /// <summary>A chat client answering every call with fixed usage figures (12 input, 7 output tokens).</summary>
    private sealed class FixedUsageChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "two"))
            {
                ModelId = "test-model-1",
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 7, TotalTokenCount = 19 },
            });

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "two");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("test-provider", new Uri("http://127.0.0.1/"), "test-model-1") : null;

        public void Dispose()
        {
        }
    }
}
