using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentScript.Tests.Arango;

/// <summary>
/// The recorded ArangoDB 3.12 exchanges copied into the repository (<c>tests/AgentScript.Tests/Arango/Fixtures</c>,
/// each file with its source note, the folder with its README). They are read from the source tree, so a plain
/// clone runs every test that replays them.
/// </summary>
internal static class ArangoFixtures
{
    private static readonly Lazy<string> s_folder = new(Find);

    /// <summary>The fixtures folder.</summary>
    public static string Folder => s_folder.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "tests", "AgentScript.Tests", "Arango", "Fixtures");
            if (File.Exists(Path.Combine(dir.FullName, "Toolkit.sln")) && Directory.Exists(folder))
            {
                return folder;
            }
        }
        throw new InvalidOperationException(
            "tests/AgentScript.Tests/Arango/Fixtures (recorded ArangoDB responses) was not found above " + AppContext.BaseDirectory +
            ": run the tests from a checkout of the repository.");
    }

    /// <summary>Fails (never skips) when the in-repository fixtures are missing: every test that replays them must run.</summary>
    public static void RequireFolder() => _ = Folder;

    /// <summary>Loads one fixture file.</summary>
    public static Fixture Load(string name)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, name)))!.AsObject();
        return new Fixture(name, node);
    }
}

/// <summary>One recorded exchange.</summary>
internal sealed record Fixture(string Name, JsonObject Root)
{
    public JsonObject Request => Root["request"]!.AsObject();
    public JsonObject Response => Root["response"]!.AsObject();
    public string Method => Request["method"]!.GetValue<string>();
    public string Path => Request["path"]!.GetValue<string>();
    public JsonNode? RequestBody => Request["body"];
    public int Status => Response["status"]!.GetValue<int>();
    public JsonNode? ResponseBody => Response["body"];

    /// <summary>The path our client sends for this request (it always names the database; the recordings used <c>_system</c>).</summary>
    public string ExpectedPath => Path.StartsWith("/_db/", StringComparison.Ordinal) ? Path : "/_db/_system" + Path;

    /// <summary>The recorded query parameters.</summary>
    public Dictionary<string, string> Query =>
        Request["query"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];

    /// <summary>The recorded answer as an HTTP response (body compact, status and the headers that matter).</summary>
    public HttpResponseMessage ToHttpResponse() => Respond(Status, ResponseBody, Response["headers"]?.AsObject());

    /// <summary>A response from a status and body; used for hand-made answers too.</summary>
    public static HttpResponseMessage Respond(int status, JsonNode? body, JsonObject? headers = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        if (body is not null)
        {
            response.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        foreach (var (name, value) in headers ?? [])
        {
            if (name.StartsWith("x-arango", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.TryAddWithoutValidation(name, value!.GetValue<string>());
            }
        }
        return response;
    }

    /// <summary>A request of <c>preceding_steps</c> / <c>following_steps</c> with its recorded response.</summary>
    public Fixture Step(string list, int index) => new($"{Name}#{list}[{index}]", Root[list]![index]!.DeepClone().AsObject());
}
