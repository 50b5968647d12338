using System.Text;
using System.Text.Json;
using AgentScript.Sink;
using AgentScript.Storage.Arango;
using CsCheck;

namespace AgentScript.Tests.Reliability;

/// <summary>Property-based: random object graphs (with cycles, hostile text and numbers) are always made safe.</summary>
public sealed class ValueSafetyPropertyTests
{
    private const string SecretValue = "s3cr3t-VALUE";

    private static readonly string[] KeyPool = ["a", "b.c", "$x", "password", "api_key", "", "_key", "k\uD800", "n\0ul", "token", "Name", "d.$.e"];

    private static readonly char[] Hostile = ['\0', '\uD800', '\uDC00', '\uFFFF', '\u202E', '\n', '"', '\\', 'é', '\uD83D'];

    private static string RandomText(Random r)
    {
        var length = r.Next(4) switch { 0 => 0, 1 => r.Next(5), 2 => r.Next(100), _ => r.Next(5000) };
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(r.Next(5) == 0 ? Hostile[r.Next(Hostile.Length)] : (char)r.Next(32, 0x3000));
        }
        return sb.ToString();
    }

    /// <summary>A random graph; containers already built may be reused, which makes cycles and shared nodes.</summary>
    private static object? RandomGraph(Random r, int depth, List<object> built)
    {
        // Containers are capped (about 50 per graph): unbounded, the branching factor made graphs of billions of nodes.
        var pick = depth > 14 || built.Count > 50 ? r.Next(6) : r.Next(11);
        switch (pick)
        {
            case 0: return null;
            case 1: return RandomText(r);
            case 2: return r.Next(4) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => double.NegativeInfinity, _ => r.NextDouble() * 1e300 };
            case 3: return r.NextInt64();
            case 4: return r.Next(2) == 0 ? true : (object)Guid.NewGuid();
            case 5 when built.Count > 0: return built[r.Next(built.Count)];
            case 5: return "data:image/png;base64," + new string('A', r.Next(10_000));
            case 6:
            case 7:
            {
                var d = new Dictionary<string, object?>();
                built.Add(d);
                var n = r.Next(r.Next(10) == 0 ? 300 : 6);
                for (var i = 0; i < n; i++)
                {
                    var key = r.Next(3) == 0 ? KeyPool[r.Next(KeyPool.Length)] : RandomText(r);
                    d[key] = ValueSafetyPropertyTests.IsSecret(key) ? SecretValue : RandomGraph(r, depth + 1, built);
                }
                return d;
            }
            case 8:
            case 9:
            {
                var l = new List<object?>();
                built.Add(l);
                var n = r.Next(r.Next(10) == 0 ? 500 : 6);
                for (var i = 0; i < n; i++)
                {
                    l.Add(RandomGraph(r, depth + 1, built));
                }
                return l;
            }
            default:
                return new object[] { RandomText(r), new int[r.Next(1000)], (float)r.NextDouble() };
        }
    }

    private static bool IsSecret(string key) => ValueSanitizer.IsSecretKey(key);

    [Fact]
    public void Random_object_graphs_always_become_bounded_valid_json_without_secrets()
    {
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var value = RandomGraph(new Random(seed), 0, []);
            foreach (var limits in new[] { ValueLimits.Properties, ValueLimits.Payload })
            {
                var json = ValueSanitizer.ToJson(value, limits);
                // Strict UTF-8: no lone surrogates survive.
                var bytes = new UTF8Encoding(false, true).GetBytes(json);
                using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
                Assert.DoesNotContain(SecretValue, json);
                Assert.DoesNotContain("\\u0000", json);
                Assert.True(json.Length < 50_000_000, $"seed {seed}: {json.Length} chars");
                // Sanitising again changes nothing the stores care about, and the ArangoDB shape has safe names.
                var node = ArangoDocuments.SafeKeys(ArangoDocuments.ParseJson(json, wrapNonObject: true));
                HostileValueTests.AssertArangoSafeKeys(node, isRoot: false);
            }
        }, iter: 300);
    }
}
