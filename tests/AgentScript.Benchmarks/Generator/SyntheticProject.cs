using System.Text;

namespace AgentScript.Benchmarks.Generator;

/// <summary>Source files for the generator benchmark: a fallback sample and a generated N-file project.</summary>
public static class SyntheticProject
{
    /// <summary>Used when <c>samples/HelloAgent</c> is not in the repository.</summary>
    public const string FallbackSample = """
        using AgentScript;
        using AgentScript.Hosting;
        using Serilog;

        namespace HelloAgent;

        public static class Script
        {
            [AgentScript("working", Description = "Greets and verifies the greeting.")]
            public static async Task<Greeting> WorkingAsync(ScriptContext context, CancellationToken ct)
            {
                Log.Information("Greeting {Name}", "world");
                var greeting = await Greeter.GreetAsync("world", ct);
                return greeting;
            }

            [AgentScript("debug")]
            public static bool Debug()
            {
                Log.Debug("Trying ideas");
                return true;
            }
        }

        public sealed record Greeting(string Text, int Length);

        public static class Greeter
        {
            [Traced]
            public static async Task<Greeting> GreetAsync(string name, CancellationToken ct)
            {
                await Task.Delay(1, ct);
                return new Greeting($"Hello, {name}!", name.Length);
            }
        }
        """;

    /// <summary>
    /// A project of <paramref name="files"/> files: one script file with two entries, the rest ordinary classes with
    /// a few methods each, every tenth with a <c>[Traced]</c> method and two calls to it, and every module with one more
    /// call to the traced method of another module, except those ending in 7 (200 files: 19 traced methods, 217 traced call
    /// sites).
    /// </summary>
    public static List<(string Path, string Text)> Generate(int files)
    {
        var list = new List<(string, string)> { ("Script.cs", FallbackSample.Replace("namespace HelloAgent;", "namespace Big;")) };
        for (var i = 1; i < files; i++)
        {
            list.Add(($"Module{i:000}.cs", Module(i)));
        }
        return list;
    }

    public static string Module(int i, int edit = 0)
    {
        var traced = i % 10 == 0;
        var sb = new StringBuilder();
        sb.AppendLine("using AgentScript;");
        sb.AppendLine("using Serilog;");
        sb.AppendLine("namespace Big.Modules;");
        sb.AppendLine($"public sealed class Module{i:000}");
        sb.AppendLine("{");
        sb.AppendLine("    private readonly Dictionary<string, int> _counts = new();");
        for (var m = 0; m < 6; m++)
        {
            sb.AppendLine($"    public int Compute{m}(int x, string label)");
            sb.AppendLine("    {");
            sb.AppendLine($"        var total = x * {m + 1} + {edit};");
            sb.AppendLine("        foreach (var c in label) { total += c; }");
            sb.AppendLine("        _counts[label] = _counts.TryGetValue(label, out var n) ? n + 1 : 1;");
            sb.AppendLine($"        if (total % 7 == 0) Log.Debug(\"Module {{Module}} step {{Step}} total {{Total}}\", {i}, {m}, total);");
            sb.AppendLine("        return total > 1000 ? total / 2 : total + label.Length;");
            sb.AppendLine("    }");
        }
        if (traced)
        {
            sb.AppendLine("    [Traced]");
            sb.AppendLine("    public async Task<int> RunStepAsync(int x) { await Task.Yield(); return Compute0(x, \"traced\"); }");
            sb.AppendLine("    public async Task<int> CallerAsync() => await RunStepAsync(3) + await RunStepAsync(4);");
        }
        // Modules ending in 7 call nothing traced: the caching proof edits one of them (an edit to a file with a call
        // site changes its interceptable locations, which embed the file's checksum, and must regenerate).
        if (i % 10 != 7)
        {
            var other = (i % 19 + 1) * 10;
            sb.AppendLine($"    public Task<int> UseTracedAsync(Module{other:000} other) => other.RunStepAsync({i});");
        }
        sb.AppendLine("    public IEnumerable<string> Names() => _counts.Keys.OrderBy(k => k).Select(k => k.ToUpperInvariant());");
        sb.AppendLine("}");
        return sb.ToString();
    }
}
