using System.Text;
using System.Text.Json.Nodes;
using AgentScript.Storage.Arango;

namespace AgentScript.Tests.Arango;

/// <summary>
/// Authentication, retries, timeouts and secrecy. The recordings have no 401, no 503, no <c>/_open/auth</c> answer
/// and no Authorization header, so those answers are hand-made here (marked); the successful answers are recorded ones.
/// </summary>
public sealed class ArangoAuthAndRetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Hand-made: a JWT whose payload carries <paramref name="exp"/> (the signature is not checked by clients).</summary>
    private static string Jwt(DateTimeOffset exp)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{B64("""{"alg":"HS256","typ":"JWT"}""")}.{B64($$"""{"exp":{{exp.ToUnixTimeSeconds()}},"preferred_username":"agent"}""")}.c2lnbmF0dXJl";
    }

    /// <summary>Hand-made: the 401 body quoted on ArangoDB's error-codes page (no generated example exists).</summary>
    private static HttpResponseMessage Unauthorized() =>
        Fixture.Respond(401, JsonNode.Parse("""{"code":401,"error":true,"errorNum":11,"errorMessage":"not authorized to execute this request"}"""));

    [Fact]
    public async Task Basic_auth_header_is_sent()
    {
        var handler = new ReplayHandler().Then(ArangoFixtures.Load("version.json"));
        using var client = ArangoTestClients.Client(handler);
        await client.GetVersionAsync(Ct);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"agent:{ArangoTestClients.Password}"));
        Assert.Equal(expected, handler.Requests[0].Authorization);
    }

    [Fact]
    public async Task Jwt_login_then_bearer_then_renewal_before_expiry()
    {
        var version = ArangoFixtures.Load("version.json");
        var time = new ManualTime(DateTimeOffset.Parse("2026-08-04T15:00:00Z"));
        var first = Jwt(time.GetUtcNow().AddHours(1));
        var second = Jwt(time.GetUtcNow().AddHours(2));
        var handler = new ReplayHandler()
            .Then(Fixture.Respond(200, new JsonObject { ["jwt"] = first }))  // hand-made /_open/auth answer
            .Then(version).Then(version)
            .Then(Fixture.Respond(200, new JsonObject { ["jwt"] = second })) // hand-made
            .Then(version);
        using var client = ArangoTestClients.Client(handler, options: ArangoTestClients.Options(jwt: true), time: time);

        await client.GetVersionAsync(Ct);
        await client.GetVersionAsync(Ct);
        time.Now = time.Now.AddMinutes(59.5); // inside the renewal margin of the first token
        await client.GetVersionAsync(Ct);

        Assert.Equal(["/_open/auth", "/_db/_system/_api/version", "/_db/_system/_api/version", "/_open/auth", "/_db/_system/_api/version"],
            handler.Requests.Select(r => r.Path));
        var login = handler.Requests[0].Json!;
        Assert.Equal("agent", login["username"]!.GetValue<string>());
        Assert.Equal(ArangoTestClients.Password, login["password"]!.GetValue<string>());
        Assert.Equal("Bearer " + first, handler.Requests[1].Authorization, ignoreCase: true);
        Assert.Equal("Bearer " + first, handler.Requests[2].Authorization, ignoreCase: true);
        Assert.Equal("Bearer " + second, handler.Requests[4].Authorization, ignoreCase: true);
    }

    [Fact]
    public async Task Jwt_is_renewed_once_on_401()
    {
        var version = ArangoFixtures.Load("version.json");
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var handler = new ReplayHandler()
            .Then(Fixture.Respond(200, new JsonObject { ["jwt"] = Jwt(time.Now.AddHours(1)) }))
            .Then(Unauthorized())
            .Then(Fixture.Respond(200, new JsonObject { ["jwt"] = Jwt(time.Now.AddHours(1).AddSeconds(1)) }))
            .Then(version);
        using var client = ArangoTestClients.Client(handler, options: ArangoTestClients.Options(jwt: true), time: time);
        Assert.Equal("3.12.10", await client.GetVersionAsync(Ct));
        Assert.Equal(["/_open/auth", "/_db/_system/_api/version", "/_open/auth", "/_db/_system/_api/version"], handler.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Basic_auth_401_is_unauthorized_names_the_user_and_never_the_password()
    {
        var handler = new ReplayHandler().Then(Unauthorized());
        using var client = ArangoTestClients.Client(handler);
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.GetVersionAsync(Ct));
        Assert.Equal(ArangoErrorKind.Unauthorized, ex.Kind);
        Assert.Equal(401, ex.Code);
        Assert.Equal(11, ex.ErrorNum);
        Assert.Contains("'agent'", ex.Message);
        Assert.Contains("ARANGO_PASSWORD", ex.Message);
        Assert.DoesNotContain(ArangoTestClients.Password, ex.ToString());
        Assert.Single(handler.Requests); // not retried
    }

    [Fact]
    public async Task A_503_is_retried_with_backoff_then_succeeds()
    {
        // Hand-made 503 (none recorded), followed by the recorded answer.
        var unavailable = """{"code":503,"error":true,"errorNum":503,"errorMessage":"service unavailable"}""";
        var delays = new List<TimeSpan>();
        var handler = new ReplayHandler()
            .Then(Fixture.Respond(503, JsonNode.Parse(unavailable)))
            .Then(Fixture.Respond(503, JsonNode.Parse(unavailable)))
            .Then(ArangoFixtures.Load("cursor-create-simple.json"));
        using var client = ArangoTestClients.Client(handler, delays);
        var (rows, _) = await client.QueryAllAsync("FOR p IN products LIMIT 2 RETURN p", cancellationToken: Ct);
        Assert.NotEmpty(rows);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)], delays);
        Assert.Equal(handler.Requests[0].Body, handler.Requests[2].Body); // the same request again
    }

    [Fact]
    public async Task Write_concern_403_1004_is_retried()
    {
        // Hand-made 403/1004 (none recorded).
        var delays = new List<TimeSpan>();
        var handler = new ReplayHandler()
            .Then(Fixture.Respond(403, JsonNode.Parse("""{"code":403,"error":true,"errorNum":1004,"errorMessage":"write concern not fulfilled"}""")))
            .Then(ArangoFixtures.Load("document-create-array.json"));
        using var client = ArangoTestClients.Client(handler, delays);
        var results = await client.InsertManyAsync("products", [new JsonObject { ["Hello"] = "Earth" }], cancellationToken: Ct);
        Assert.NotEmpty(results);
        Assert.Single(delays);
    }

    [Fact]
    public async Task A_plain_403_is_not_retried()
    {
        var handler = new ReplayHandler()
            .Then(Fixture.Respond(403, JsonNode.Parse("""{"code":403,"error":true,"errorNum":11,"errorMessage":"forbidden"}""")));
        using var client = ArangoTestClients.Client(handler);
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.GetVersionAsync(Ct));
        Assert.Equal(ArangoErrorKind.Unauthorized, ex.Kind);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Gone_410_is_a_stopped_request_and_not_retried()
    {
        // Hand-made: on ArangoDB 410 means a killed query (1500), a cancelled request (21) or an aborted transaction.
        var gone = """{"code":410,"error":true,"errorNum":1500,"errorMessage":"query killed"}""";
        var delays = new List<TimeSpan>();
        var handler = new ReplayHandler().Then(Fixture.Respond(410, JsonNode.Parse(gone)));
        using var client = ArangoTestClients.Client(handler, delays);
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.GetVersionAsync(Ct));
        Assert.Equal(ArangoErrorKind.Cancelled, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Single(handler.Requests);
        Assert.Empty(delays);
        Assert.Contains("killed query", ex.Message);
    }

    [Fact]
    public async Task Connection_refused_is_retried_then_reported_with_url_user_and_fix()
    {
        var delays = new List<TimeSpan>();
        var handler = new ReplayHandler().ThenConnectionRefused().ThenConnectionRefused().ThenConnectionRefused().ThenConnectionRefused();
        using var client = ArangoTestClients.Client(handler, delays);
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.GetVersionAsync(Ct));
        Assert.Equal(ArangoErrorKind.Unavailable, ex.Kind);
        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal(3, delays.Count);
        Assert.Contains("http://arango.test:8529", ex.Message);
        Assert.Contains("user agent", ex.Message);
        Assert.Contains("docker compose up -d", ex.Message);
        Assert.DoesNotContain(ArangoTestClients.Password, ex.ToString());
    }

    [Fact]
    public async Task Connection_refused_once_then_success()
    {
        var delays = new List<TimeSpan>();
        var handler = new ReplayHandler().ThenConnectionRefused().Then(ArangoFixtures.Load("version.json"));
        using var client = ArangoTestClients.Client(handler, delays);
        Assert.Equal("3.12.10", await client.GetVersionAsync(Ct));
        Assert.Single(delays);
    }

    [Fact]
    public async Task A_request_that_does_not_answer_times_out_and_is_not_retried()
    {
        var handler = new ReplayHandler().ThenHang();
        using var client = ArangoTestClients.Client(handler, options: ArangoTestClients.Options() with { RequestTimeout = TimeSpan.FromMilliseconds(100) });
        var ex = await Assert.ThrowsAsync<ArangoException>(() => client.GetVersionAsync(Ct));
        Assert.Equal(ArangoErrorKind.Timeout, ex.Kind);
        Assert.Contains("ARANGO_TIMEOUT", ex.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        var handler = new ReplayHandler().ThenHang();
        using var client = ArangoTestClients.Client(handler);
        using var cts = new CancellationTokenSource();
        var task = client.GetVersionAsync(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public void Url_with_user_info_is_shown_without_it()
    {
        Assert.Equal("http://db.example:8529", ArangoClient.SafeUrl(new Uri("http://root:secret@db.example:8529/")));
    }

    [Fact]
    public void Jwt_expiry_is_read_from_the_token()
    {
        var exp = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        Assert.Equal(exp, ArangoClient.ReadExpiry(Jwt(exp)));
        Assert.Null(ArangoClient.ReadExpiry("not-a-jwt"));
    }

    [Fact]
    public void Custom_ca_accepts_only_chains_to_that_ca()
    {
        using var caKey = System.Security.Cryptography.RSA.Create(2048);
        var caReq = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Test CA", caKey, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        caReq.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var leafKey = System.Security.Cryptography.RSA.Create(2048);
        var leafReq = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=arango.test", leafKey, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var leaf = leafReq.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [1, 2, 3, 4]);
        using var otherKey = System.Security.Cryptography.RSA.Create(2048);
        using var stranger = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=arango.test", otherKey, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));

        var chainError = System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;
        Assert.True(ArangoClient.ValidateWithCustomCa(leaf, chainError, ca));
        Assert.False(ArangoClient.ValidateWithCustomCa(stranger, chainError, ca));
        Assert.False(ArangoClient.ValidateWithCustomCa(leaf, chainError | System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch, ca));
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
