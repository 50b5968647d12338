using System.Net.Http.Headers;
using System.Text;
using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Arango;

/// <summary>
/// Section 6: ArangoDB ingest and search against a live server named by <c>AGENTSCRIPT_TEST_ARANGO_URL</c> or
/// <c>ARANGO_URL</c>; when none is configured or reachable the doc says so.
/// </summary>
public static class ArangoSection
{
    public static async Task<SectionResult> RunAsync(RunContext ctx)
    {
        var url = Environment.GetEnvironmentVariable("AGENTSCRIPT_TEST_ARANGO_URL") ?? Environment.GetEnvironmentVariable("ARANGO_URL");
        var sb = new StringBuilder();
        var checks = new List<Check>();
        if (string.IsNullOrWhiteSpace(url))
        {
            sb.AppendLine("**No ArangoDB server available**: neither `AGENTSCRIPT_TEST_ARANGO_URL` nor `ARANGO_URL` is set on this machine");
            sb.AppendLine("(no Docker engine and no ArangoDB server package can run here). Set one of them to a reachable ArangoDB 3.12 and");
            sb.AppendLine("re-run `-- arango` to measure ingest and BM25 search through the ArangoDB store.");
            checks.Add(new Check("ArangoDB ingest and search", "no ArangoDB server available", "measured when a server is configured", null));
            return SectionResult.Create("arango", Titles.For("arango"), ctx, sb.ToString(), checks);
        }

        var version = await ProbeAsync(url);
        if (version is null)
        {
            sb.AppendLine($"**No ArangoDB server available**: `{SafeUrl(url)}` is configured but did not answer `GET /_api/version`.");
            checks.Add(new Check("ArangoDB ingest and search", "no ArangoDB server available (configured URL unreachable)", "measured when a server is configured", null));
            return SectionResult.Create("arango", Titles.For("arango"), ctx, sb.ToString(), checks);
        }

        sb.AppendLine($"Server `{SafeUrl(url)}` answered: {version}.");
        sb.AppendLine();
        sb.AppendLine("The ArangoDB store is not part of this benchmark build yet, so only reachability was checked.");
        checks.Add(new Check("ArangoDB ingest and search", "server reachable; store benchmark not built", "measured when a server is configured", null));
        return SectionResult.Create("arango", Titles.For("arango"), ctx, sb.ToString(), checks);
    }

    private static async Task<string?> ProbeAsync(string url)
    {
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(5) };
            var user = Environment.GetEnvironmentVariable("ARANGO_USERNAME") ?? "root";
            var password = Environment.GetEnvironmentVariable("ARANGO_PASSWORD") ?? "";
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            using var response = await http.GetAsync("_api/version");
            return response.IsSuccessStatusCode ? (await response.Content.ReadAsStringAsync()).Trim() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            return null;
        }
    }

    /// <summary>The URL without any user-info part, so a password in the URL is never printed.</summary>
    private static string SafeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Host}:{u.Port}{u.AbsolutePath}" : "(unparsable URL)";
}
