using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentScript.Configuration;

namespace AgentScript.Storage.Arango;

/// <summary>
/// A small hand-written ArangoDB 3.12 HTTP client (no driver is available in the package registry here).
/// Transport concerns live in this file: authentication (basic or JWT with renewal), retries with backoff for
/// retryable failures only, per-request timeouts, and mapping error bodies to <see cref="ArangoException"/>.
/// The operations are in the other <c>ArangoClient.*.cs</c> files.
/// </summary>
internal sealed partial class ArangoClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ArangoOptions _options;
    private readonly ArangoRetryPolicy _retry;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _authLock = new(1, 1);
    private string? _jwt;
    private DateTimeOffset _jwtExpires;

    /// <summary>Creates a client. <paramref name="handler"/> replaces the network (tests replay recorded answers).</summary>
    public ArangoClient(ArangoOptions options, HttpMessageHandler? handler = null, ArangoRetryPolicy? retry = null, TimeProvider? time = null)
    {
        _options = options;
        _retry = retry ?? new ArangoRetryPolicy();
        _time = time ?? TimeProvider.System;
        _http = new HttpClient(handler ?? CreateHandler(options), disposeHandler: true)
        {
            BaseAddress = options.Url,
            // Each request gets its own timeout (a linked token) so a timeout can be told apart from the caller cancelling.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The settings in use.</summary>
    public ArangoOptions Options => _options;

    /// <summary>The URL without any user info, safe for messages.</summary>
    public static string SafeUrl(Uri url) =>
        string.IsNullOrEmpty(url.UserInfo) ? url.ToString().TrimEnd('/') : new UriBuilder(url) { UserName = "", Password = "" }.Uri.ToString().TrimEnd('/');

    /// <summary>The default database of this client.</summary>
    public string Database => _options.Database;

    /// <summary>The handler used when none is given: https with an optional custom CA from <c>ARANGO_CA_CERT</c>.</summary>
    public static HttpMessageHandler CreateHandler(ArangoOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (!string.IsNullOrEmpty(options.CaCertificatePath))
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(options.CaCertificatePath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ValidateWithCustomCa(certificate, errors, ca);
        }
        return handler;
    }

    /// <summary>Accepts a server certificate that chains to <paramref name="ca"/> (and only then, for chain errors).</summary>
    internal static bool ValidateWithCustomCa(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false; // a name mismatch is never excused by a custom CA
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var cert = new X509Certificate2(certificate);
        return chain.Build(cert);
    }

    /// <summary>
    /// Sends one request to <c>/_db/{database}{path}</c> and returns the answer, or throws
    /// <see cref="ArangoException"/>. Retries with exponential backoff what the server reports as transient (it did not
    /// apply the request); renews a JWT on 401. A connection failure is retried only for an <paramref name="idempotent"/>
    /// request, or when the request provably never left (the connection could not be opened): a cursor request or a
    /// writing query that reached the server must not run twice.
    /// </summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="path">Path below <c>/_db/{database}</c>.</param>
    /// <param name="body">JSON body, if any.</param>
    /// <param name="query">Query-string parameters.</param>
    /// <param name="database">Database (null: the configured one).</param>
    /// <param name="idempotent">Sending the request twice has the effect of sending it once; null: true for GET, HEAD, PUT and DELETE.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ArangoResponse> SendAsync(
        HttpMethod method, string path, JsonNode? body = null, IReadOnlyList<KeyValuePair<string, string>>? query = null,
        string? database = null, bool? idempotent = null, CancellationToken cancellationToken = default)
    {
        var repeatable = idempotent ?? (method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put || method == HttpMethod.Delete);
        var uri = BuildUri(database ?? _options.Database, path, query);
        var payload = body?.ToJsonString();
        var renewedAfter401 = false;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Authorization = await AuthorizationAsync(cancellationToken).ConfigureAwait(false);
            if (payload is not null)
            {
                request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not retried: the request may have been applied, and a slow query would only be slow again.
                throw new ArangoException(ArangoErrorKind.Timeout, 0, 0, "timeout",
                    $"ArangoDB at {SafeUrl(_options.Url)} did not answer {method} {path} within {_options.RequestTimeout.TotalSeconds:0.#} s. " +
                    ArangoException.Advice(ArangoErrorKind.Timeout, 0));
            }
            catch (HttpRequestException ex)
            {
                if (attempt < _retry.MaxAttempts && (repeatable || NeverSent(ex)))
                {
                    await _retry.Delay(_retry.DelayFor(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (!repeatable && !NeverSent(ex))
                {
                    // The request may have been applied: report it as uncertain instead of running it again.
                    throw new ArangoException(ArangoErrorKind.Unavailable, 0, 0, ex.Message,
                        $"ArangoDB at {SafeUrl(_options.Url)} dropped the connection during {method} {path} ({ex.Message}); " +
                        "the request may or may not have been applied, so it was not sent again.", ex) { MayHaveApplied = true };
                }
                throw new ArangoException(ArangoErrorKind.Unavailable, 0, 0, ex.Message,
                    $"ArangoDB at {SafeUrl(_options.Url)} (user {_options.Username}) is not reachable after {attempt} attempts: {ex.Message}. " +
                    "Start the server with `docker compose up -d` (in the AgentScript folder) or set ARANGO_URL to a running server.", ex);
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status < 400)
                {
                    return new ArangoResponse(response.StatusCode, ParseBody(text), CollectHeaders(response));
                }
                var error = ParseError(text, status);
                if (status == 401 && _options.UseJwt && !renewedAfter401)
                {
                    // The token may have expired early (server restart, clock skew): get a new one once.
                    renewedAfter401 = true;
                    _jwt = null;
                    attempt--;
                    continue;
                }
                if (ArangoRetryPolicy.IsRetryable(status, error.ErrorNum) && attempt < _retry.MaxAttempts)
                {
                    await _retry.Delay(_retry.DelayFor(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw ToException(method, path, status, error);
            }
        }
    }

    /// <summary>
    /// True when the request cannot have reached the server: no connection could be opened (refused, unreachable,
    /// name not resolved). Anything later (reset, response ended) may come after the server read the request.
    /// </summary>
    internal static bool NeverSent(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError;

    /// <summary>Sends a request and answers null instead of throwing when the server says not found (404).</summary>
    public async Task<ArangoResponse?> SendOrNullAsync(
        HttpMethod method, string path, JsonNode? body = null, IReadOnlyList<KeyValuePair<string, string>>? query = null,
        string? database = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync(method, path, body, query, database, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ArangoException ex) when (ex.Code == 404)
        {
            return null;
        }
    }

    private ArangoException ToException(HttpMethod method, string path, int status, ArangoErrorBody error)
    {
        var kind = ArangoException.Classify(status, error.ErrorNum);
        var what = error.ErrorMessage ?? "(no message)";
        var user = kind == ArangoErrorKind.Unauthorized ? $" as user '{_options.Username}'" : "";
        return new ArangoException(kind, status, error.ErrorNum, what,
            $"ArangoDB {method} {path}{user} failed: HTTP {status}, errorNum {error.ErrorNum}: {what}. " +
            ArangoException.Advice(kind, error.ErrorNum));
    }

    private Uri BuildUri(string database, string path, IReadOnlyList<KeyValuePair<string, string>>? query)
    {
        var sb = new StringBuilder();
        if (!path.StartsWith("/_open/", StringComparison.Ordinal))
        {
            sb.Append("/_db/").Append(Uri.EscapeDataString(database));
        }
        sb.Append(path);
        if (query is { Count: > 0 })
        {
            sb.Append('?');
            for (var i = 0; i < query.Count; i++)
            {
                sb.Append(i == 0 ? "" : "&").Append(Uri.EscapeDataString(query[i].Key)).Append('=').Append(Uri.EscapeDataString(query[i].Value));
            }
        }
        return new Uri(_options.Url, sb.ToString());
    }

    private async Task<AuthenticationHeaderValue> AuthorizationAsync(CancellationToken cancellationToken)
    {
        if (!_options.UseJwt)
        {
            var raw = Encoding.UTF8.GetBytes($"{_options.Username}:{_options.Password}");
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(raw));
        }
        // Renew a minute before expiry so no request goes out with a token about to lapse.
        if (_jwt is null || _time.GetUtcNow() >= _jwtExpires - TimeSpan.FromMinutes(1))
        {
            await _authLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_jwt is null || _time.GetUtcNow() >= _jwtExpires - TimeSpan.FromMinutes(1))
                {
                    await LoginAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                _authLock.Release();
            }
        }
        return new AuthenticationHeaderValue("bearer", _jwt);
    }

    private async Task LoginAsync(CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new ArangoAuthRequest(_options.Username, _options.Password), ArangoJsonContext.Default.ArangoAuthRequest);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.Url, "/_open/auth"))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ArangoException(ArangoErrorKind.Timeout, 0, 0, "timeout",
                    $"ArangoDB at {SafeUrl(_options.Url)} did not answer the login (POST /_open/auth as user '{_options.Username}') within " +
                    $"{_options.RequestTimeout.TotalSeconds:0.#} s. Check that ARANGO_URL points at the server's HTTP port and that the server is not overloaded, " +
                    "or raise ARANGO_TIMEOUT.");
            }
            catch (HttpRequestException) when (attempt < _retry.MaxAttempts)
            {
                // The login only reads credentials: repeating it is harmless.
                await _retry.Delay(_retry.DelayFor(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException ex)
            {
                throw new ArangoException(ArangoErrorKind.Unavailable, 0, 0, ex.Message,
                    $"ArangoDB at {SafeUrl(_options.Url)} (user {_options.Username}) is not reachable: {ex.Message}. " +
                    "Start the server with `docker compose up -d` or set ARANGO_URL to a running server.", ex);
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status >= 400)
                {
                    var error = ParseError(text, status);
                    if (ArangoRetryPolicy.IsRetryable(status, error.ErrorNum) && attempt < _retry.MaxAttempts)
                    {
                        await _retry.Delay(_retry.DelayFor(attempt), cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    throw ToException(HttpMethod.Post, "/_open/auth", status, error);
                }
                var answer = JsonSerializer.Deserialize(text, ArangoJsonContext.Default.ArangoAuthResponse);
                _jwt = answer?.Jwt ?? throw new ArangoException(ArangoErrorKind.Other, status, 0, "no jwt",
                    "ArangoDB POST /_open/auth answered without a token. Check that the server is ArangoDB 3.x with authentication enabled.");
                _jwtExpires = ReadExpiry(_jwt) ?? _time.GetUtcNow().AddHours(1);
                return;
            }
        }
    }

    /// <summary>The <c>exp</c> claim of a JWT, or null when it cannot be read.</summary>
    internal static DateTimeOffset? ReadExpiry(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length < 2)
        {
            return null;
        }
        try
        {
            var b64 = parts[1].Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var claims = JsonSerializer.Deserialize(Convert.FromBase64String(b64), ArangoJsonContext.Default.JwtClaims);
            return claims?.Exp is { } exp ? DateTimeOffset.FromUnixTimeSeconds(exp) : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private static JsonElement ParseBody(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    private static ArangoErrorBody ParseError(string text, int status)
    {
        try
        {
            var body = string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize(text, ArangoJsonContext.Default.ArangoErrorBody);
            if (body is not null)
            {
                return body;
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML error page: report the status with the start of the text.
        }
        var snippet = text.Length > 200 ? text[..200] : text;
        return new ArangoErrorBody(true, status, 0, string.IsNullOrWhiteSpace(snippet) ? ((HttpStatusCode)status).ToString() : snippet);
    }

    private static Dictionary<string, string> CollectHeaders(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in response.Headers)
        {
            headers[h.Key] = string.Join(",", h.Value);
        }
        foreach (var h in response.Content.Headers)
        {
            headers[h.Key] = string.Join(",", h.Value);
        }
        return headers;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _http.Dispose();
        _authLock.Dispose();
    }
}
