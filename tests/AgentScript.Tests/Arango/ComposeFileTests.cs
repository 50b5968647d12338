using System.Diagnostics;
using System.Net;
using System.Text;

namespace AgentScript.Tests.Arango;

/// <summary>
/// The shell commands of the compose files, run for real here: the single server's healthcheck against a loopback
/// HTTP server that checks the credentials (as ArangoDB's <c>/_api/version</c> does), and the cluster's JWT-secret
/// writer in a temporary folder. The commands are read from the files, so what is tested is what ships.
/// </summary>
public sealed class ComposeFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string RepoFile(string name) => Path.Combine(Directory.GetParent(ArangoFixtures.Folder)!.Parent!.Parent!.Parent!.FullName, name);

    /// <summary>The folded (<c>&gt;-</c>) scalar that follows the line <paramref name="after"/>, as compose hands it to the shell.</summary>
    private static string FoldedCommand(string file, string after)
    {
        var lines = File.ReadAllLines(RepoFile(file));
        var start = Array.FindIndex(lines, l => l.TrimEnd() == after);
        var fold = Array.FindIndex(lines, start, l => l.TrimEnd().EndsWith(">-", StringComparison.Ordinal));
        var indent = lines[fold + 1].Length - lines[fold + 1].TrimStart().Length;
        var parts = lines.Skip(fold + 1).TakeWhile(l => l.Length - l.TrimStart().Length == indent && l.Trim().Length > 0).Select(l => l.Trim());
        return string.Join(' ', parts).Replace("$$", "$", StringComparison.Ordinal); // compose's escape for a literal $
    }

    private static async Task<(int Code, string Error)> ShAsync(string command, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var error = await p.StandardError.ReadToEndAsync(Ct);
        await p.StandardOutput.ReadToEndAsync(Ct);
        await p.WaitForExitAsync(Ct);
        return (p.ExitCode, error);
    }

    [Theory]
    [InlineData("openSesame")]
    [InlineData("p@ss:w/rd#1")]
    [InlineData("a b@c:d/e#f?g&h%20")]
    public async Task Healthcheck_authenticates_with_any_password_using_wget_alone(string password)
    {
        // The image is Alpine: wget (busybox) and no curl. PATH holds only wget, base64 and tr (GNU builds here).
        using var bin = new Storage.TempDirectory();
        foreach (var tool in new[] { "wget", "base64", "tr" })
        {
            var target = new[] { "/usr/bin/", "/bin/" }.Select(d => d + tool).First(File.Exists);
            File.CreateSymbolicLink(Path.Combine(bin.Path, tool), target);
        }
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("root:" + password));
        var seen = new List<string?>();
        var server = Task.Run(async () =>
        {
            while (true)
            {
                var ctx = await listener.GetContextAsync();
                var auth = ctx.Request.Headers["Authorization"];
                seen.Add(auth);
                ctx.Response.StatusCode = auth == expected && ctx.Request.Url!.AbsolutePath == "/_api/version" ? 200 : 401;
                ctx.Response.Close();
            }
        }, Ct);
        var command = FoldedCommand("docker-compose.yml", "    healthcheck:").Replace("127.0.0.1:8529", $"127.0.0.1:{port}", StringComparison.Ordinal);
        var (code, error) = await ShAsync(command, new() { ["PATH"] = bin.Path, ["ARANGO_ROOT_PASSWORD"] = password });
        listener.Stop();
        Assert.True(code == 0, $"healthcheck exited {code}: {error}; Authorization seen: {string.Join(", ", seen)}");
        Assert.Equal(expected, Assert.Single(seen));
        _ = server.Exception;
    }

    [Fact]
    public async Task Cluster_jwt_secret_is_at_most_64_characters_and_an_old_longer_one_is_replaced()
    {
        // arangod: "Given JWT secret too long. Max length is 64" (kMaxSecretLength) — every server would restart in a loop.
        using var dir = new Storage.TempDirectory();
        var file = Path.Combine(dir.Path, "jwt");
        var command = FoldedCommand("docker-compose.cluster.yml", "  secret:").Replace("/secrets/jwt", file, StringComparison.Ordinal);
        var path = new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH")! };

        Assert.Equal(0, (await ShAsync(command, path)).Code);
        var first = await File.ReadAllTextAsync(file, Ct);
        Assert.InRange(first.Length, 32, 64);
        Assert.Matches("^[0-9a-f]+$", first);

        Assert.Equal(0, (await ShAsync(command, path)).Code);
        Assert.Equal(first, await File.ReadAllTextAsync(file, Ct)); // kept: the servers already use it

        await File.WriteAllTextAsync(file, new string('a', 96), Ct); // what the cluster file used to write
        Assert.Equal(0, (await ShAsync(command, path)).Code);
        Assert.InRange((await File.ReadAllTextAsync(file, Ct)).Length, 32, 64);
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
