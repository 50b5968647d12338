using AgentScript.Configuration;
using AgentScript.Storage.Arango;

namespace AgentScript.Tests.Arango;

/// <summary>Clients wired to a <see cref="ReplayHandler"/>; retries record their delays instead of sleeping.</summary>
internal static class ArangoTestClients
{
    public const string Password = "pw-Must-Never-Leak-7731";

    public static ArangoOptions Options(string database = "_system", bool jwt = false) => new()
    {
        Url = new Uri("http://arango.test:8529"),
        Username = "agent",
        Password = Password,
        Database = database,
        UseJwt = jwt,
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    public static ArangoRetryPolicy Retry(List<TimeSpan> delays) => new()
    {
        Delay = (d, _) => { delays.Add(d); return Task.CompletedTask; },
    };

    public static ArangoClient Client(ReplayHandler handler, List<TimeSpan>? delays = null, ArangoOptions? options = null, TimeProvider? time = null) =>
        new(options ?? Options(), handler, Retry(delays ?? []), time);
}
