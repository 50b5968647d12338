using System.Net;
using System.Text.Json.Nodes;
using System.Web;

namespace AgentScript.Tests.Arango;

/// <summary>What the client sent.</summary>
internal sealed record SentRequest(string Method, string Path, Dictionary<string, string> Query, string? Body, string? Authorization)
{
    public JsonNode? Json => Body is null ? null : JsonNode.Parse(Body);
}

/// <summary>
/// An <see cref="HttpMessageHandler"/> that answers from a script of responses (recorded fixtures or hand-made
/// answers) and records every request, so tests assert what the client sends and how it reads the answers.
/// </summary>
internal sealed class ReplayHandler : HttpMessageHandler
{
    private readonly Queue<Func<SentRequest, HttpResponseMessage>> _script = new();
    private readonly Func<SentRequest, HttpResponseMessage?>? _router;

    public ReplayHandler(Func<SentRequest, HttpResponseMessage?>? router = null) => _router = router;

    public List<SentRequest> Requests { get; } = [];

    /// <summary>Queues an answer.</summary>
    public ReplayHandler Then(HttpResponseMessage response)
    {
        _script.Enqueue(_ => response);
        return this;
    }

    /// <summary>Queues a recorded answer.</summary>
    public ReplayHandler Then(Fixture fixture) => Then(fixture.ToHttpResponse());

    /// <summary>Queues a connection failure (as <see cref="SocketsHttpHandler"/> reports a refused connection).</summary>
    public ReplayHandler ThenConnectionRefused()
    {
        _script.Enqueue(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (localhost:8529)"));
        return this;
    }

    /// <summary>
    /// Queues a connection lost after the request was sent (as <see cref="SocketsHttpHandler"/> reports a response that
    /// ended early): the server may have applied it.
    /// </summary>
    public ReplayHandler ThenConnectionLost()
    {
        _script.Enqueue(_ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        return this;
    }

    /// <summary>Queues an answer that never comes (until the client's timeout cancels it).</summary>
    public ReplayHandler ThenHang()
    {
        _script.Enqueue(_ => null!);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
        var sent = new SentRequest(
            request.Method.Method,
            request.RequestUri.AbsolutePath,
            query.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => query[k]!),
            body,
            request.Headers.Authorization?.ToString());
        Requests.Add(sent);
        if (_script.TryDequeue(out var next))
        {
            var response = next(sent);
            if (response is null)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            return response!;
        }
        return _router?.Invoke(sent) ?? throw new InvalidOperationException($"Unexpected request {sent.Method} {sent.Path}");
    }
}
