using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AgentScript.Model;

namespace AgentScript.Benchmarks.Corpus;

/// <summary>
/// A realistic, deterministic log corpus: ≥ 1,000 distinct message templates (frame × subject × verb) drawn with a
/// Zipf distribution, values from pools of very different sizes (models, regions, hosts, users, paths, ids, pseudo-words),
/// exceptions with type, message and a stack trace, spread over many runs of many scripts. Same seed → same corpus.
/// </summary>
public sealed partial class CorpusGenerator
{
    public const int DefaultSeed = 20_261_124;

    private readonly Random _rng;
    private readonly string[] _templates;
    private readonly string[][] _holes;
    private readonly Zipf _templateZipf;
    private readonly string[] _words;
    private readonly Zipf _wordZipf;
    private readonly string[] _users;
    private readonly string[] _hosts;
    private readonly string[] _projects;
    private readonly string[] _scripts;
    private readonly string[] _ids;
    private readonly Zipf _idZipf;
    private readonly Zipf _scriptZipf;

    public CorpusGenerator(int templateCount = 1_500, int seed = DefaultSeed)
    {
        _rng = new Random(seed);
        var chosen = new HashSet<string>();
        while (chosen.Count < templateCount)
        {
            var frame = Vocabulary.Frames[_rng.Next(Vocabulary.Frames.Length)];
            var s = Vocabulary.Subjects[_rng.Next(Vocabulary.Subjects.Length)];
            var v = Vocabulary.Verbs[_rng.Next(Vocabulary.Verbs.Length)];
            var text = frame.Replace("{S}", char.ToUpperInvariant(s[0]) + s[1..]).Replace("{V}", v);
            chosen.Add(text);
        }
        _templates = [.. chosen];
        _holes = _templates.Select(t => HoleRegex().Matches(t).Select(m => m.Groups[1].Value).ToArray()).ToArray();
        _templateZipf = new Zipf(_templates.Length, 1.05);
        _words = Vocabulary.PseudoWords(_rng, 30_000);
        _wordZipf = new Zipf(_words.Length, 1.0);
        _users = Vocabulary.PseudoWords(_rng, 2_000).Select(w => w + "." + Vocabulary.PseudoWords(_rng, 1)[0][..3]).ToArray();
        _hosts = Enumerable.Range(0, 400).Select(i => $"{_words[_rng.Next(5_000)]}-{i % 40:00}.{(i % 3 == 0 ? "internal" : i % 3 == 1 ? "example.com" : "svc.cluster.local")}").ToArray();
        _projects = Vocabulary.PseudoWords(_rng, 300);
        _scripts = Enumerable.Range(0, 150).Select(i => $"{_projects[i]}_{Vocabulary.Subjects[i % Vocabulary.Subjects.Length]}").ToArray();
        _ids = Enumerable.Range(0, 200_000).Select(_ => _rng.NextInt64(0, 1L << 40).ToString("x10", CultureInfo.InvariantCulture)).ToArray();
        _idZipf = new Zipf(_ids.Length, 0.8);
        _scriptZipf = new Zipf(_scripts.Length, 0.9);
    }

    /// <summary>Distinct message templates available.</summary>
    public int TemplateCount => _templates.Length;

    /// <summary>Script names the runs use.</summary>
    public IReadOnlyList<string> ScriptNames => _scripts;

    /// <summary>
    /// Plans runs totalling <paramref name="totalEvents"/> events: one large run of <paramref name="largeRunEvents"/>
    /// events (for the summary benchmark), the rest in runs of 20–4,000 events over the last 30 days.
    /// </summary>
    public List<CorpusRun> PlanRuns(int totalEvents, int largeRunEvents, DateTimeOffset now)
    {
        var runs = new List<CorpusRun>();
        var remaining = totalEvents - largeRunEvents;
        var start = now.AddDays(-30);
        var step = TimeSpan.FromDays(30).Ticks / Math.Max(1, totalEvents / 400);
        var t = start;
        var largeAt = Math.Max(1, totalEvents / 1_000 / 2);
        while (remaining > 0 || largeRunEvents > 0)
        {
            int n;
            if (largeRunEvents > 0 && (runs.Count == largeAt || remaining <= 0))
            {
                n = largeRunEvents;
                largeRunEvents = 0;
            }
            else
            {
                // Log-normal run sizes: most runs are short, a few are long.
                n = (int)Math.Clamp(Math.Exp(5.0 + 1.1 * Gaussian()), 20, 4_000);
                n = Math.Min(n, remaining);
                remaining -= n;
            }
            var script = _scripts[_scriptZipf.Next(_rng)];
            var id = ExecutionIdFor(script, t);
            runs.Add(new CorpusRun(id, script, t, n, _rng.NextDouble() < 0.12));
            t = t.AddTicks((long)(step * (0.5 + _rng.NextDouble())));
        }
        return runs;
    }

    private string ExecutionIdFor(string script, DateTimeOffset t) =>
        $"{ExecutionIds.SafeName(script)}_{t.UtcDateTime:yyyyMMdd_HHmmss}_{_rng.Next():x8}";

    /// <summary>The events of one run, in time order.</summary>
    public IEnumerable<CorpusEvent> EventsOf(CorpusRun run)
    {
        var t = run.Start;
        for (var i = 0; i < run.Events; i++)
        {
            t = t.AddTicks(_rng.Next(1_000, 400_000)); // 0.1–40 ms apart
            yield return NextEvent(run.ExecutionId, run.ScriptName, t);
        }
    }

    /// <summary>A single event (used by the ingest harness, which needs no run plan).</summary>
    public CorpusEvent NextEvent(string executionId, string scriptName, DateTimeOffset timestamp)
    {
        var ti = _templateZipf.Next(_rng);
        var template = _templates[ti];
        var holes = _holes[ti];
        var values = new object[holes.Length];
        for (var h = 0; h < holes.Length; h++)
        {
            values[h] = Value(holes[h]);
        }
        var roll = _rng.NextDouble();
        var level = roll switch
        {
            < 0.03 => LogLevels.Error,
            < 0.033 => LogLevels.Critical,
            < 0.12 => LogLevels.Warning,
            < 0.27 => LogLevels.Debug,
            < 0.28 => LogLevels.Trace,
            _ => LogLevels.Info,
        };
        ExceptionInfo? exception = null;
        if (level is LogLevels.Error or LogLevels.Critical || (level == LogLevels.Warning && _rng.NextDouble() < 0.2))
        {
            exception = Exception();
        }
        return new CorpusEvent(ti, level, template, holes, values, Render(template, holes, values), exception, executionId, scriptName, timestamp);
    }

    private static string Render(string template, string[] holes, object[] values)
    {
        var sb = new StringBuilder(template.Length + 64);
        var pos = 0;
        for (var h = 0; h < holes.Length; h++)
        {
            var token = "{" + holes[h] + "}";
            var at = template.IndexOf(token, pos, StringComparison.Ordinal);
            sb.Append(template, pos, at - pos);
            sb.Append(Convert.ToString(values[h], CultureInfo.InvariantCulture));
            pos = at + token.Length;
        }
        sb.Append(template, pos, template.Length - pos);
        return sb.ToString();
    }

    private object Value(string hole) => hole switch
    {
        "Id" or "JobId" or "DocId" or "TraceId" => _ids[_idZipf.Next(_rng)],
        "ElapsedMs" => Math.Round(Math.Exp(3 + 1.5 * Gaussian()), 1),
        "User" => _users[_rng.Next(_users.Length)],
        "Host" => _hosts[_rng.Next(_hosts.Length)],
        "Count" or "Tokens" or "Bytes" or "Limit" or "Dimension" => _rng.Next(1, 1 << _rng.Next(4, 20)),
        "Path" or "Path2" => PathValue(),
        "Url" or "Url2" => $"https://{_hosts[_rng.Next(_hosts.Length)]}/{_words[_wordZipf.Next(_rng)]}/{_words[_wordZipf.Next(_rng)]}?id={_ids[_idZipf.Next(_rng)]}",
        "StatusCode" => new[] { 200, 201, 204, 301, 400, 401, 403, 404, 409, 429, 500, 502, 503 }[_rng.Next(13)],
        "Model" => Vocabulary.Models[_rng.Next(Vocabulary.Models.Length)],
        "Line" or "Port" or "ExitCode" or "Attempt" or "MaxAttempts" or "Chunk" => _rng.Next(0, hole == "Port" ? 65_535 : 2_000),
        "Stage" or "SpanName" or "Queue" or "Table" or "Tenant" or "Package" or "Branch" or "TestName" or "ConfigKey" => _projects[_rng.Next(_projects.Length)] + (_rng.Next(3) == 0 ? "_" + Vocabulary.Subjects[_rng.Next(Vocabulary.Subjects.Length)] : ""),
        "Percent" => _rng.Next(0, 101),
        "Key" => $"{_words[_wordZipf.Next(_rng)]}:{_ids[_idZipf.Next(_rng)]}",
        "Region" => Vocabulary.Regions[_rng.Next(Vocabulary.Regions.Length)],
        "Word" or "Word2" or "ConfigValue" => _words[_wordZipf.Next(_rng)],
        "Sha" => _rng.NextInt64().ToString("x16", CultureInfo.InvariantCulture)[..12],
        "Temperature" or "TopP" => Math.Round(_rng.NextDouble(), 2),
        "Version" => $"{_rng.Next(0, 10)}.{_rng.Next(0, 30)}.{_rng.Next(0, 100)}",
        "NextRun" => DateTimeOffset.UnixEpoch.AddDays(20_000 + _rng.Next(400)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        _ => _words[_wordZipf.Next(_rng)],
    };

    private string PathValue() =>
        $"/home/agent/projects/{_projects[_rng.Next(_projects.Length)]}/{Vocabulary.Dirs[_rng.Next(Vocabulary.Dirs.Length)]}/{_words[_wordZipf.Next(_rng)]}.{Vocabulary.Extensions[_rng.Next(Vocabulary.Extensions.Length)]}";

    private ExceptionInfo Exception()
    {
        var type = Vocabulary.ExceptionTypes[_rng.Next(Vocabulary.ExceptionTypes.Length)];
        var format = Vocabulary.ExceptionMessages[_rng.Next(Vocabulary.ExceptionMessages.Length)];
        var message = string.Format(CultureInfo.InvariantCulture, format,
            _words[_wordZipf.Next(_rng)], PathValue(), _rng.Next(1, 100_000), _rng.Next(100, 600),
            _hosts[_rng.Next(_hosts.Length)], Vocabulary.Models[_rng.Next(Vocabulary.Models.Length)]);
        var sb = new StringBuilder(type).Append(": ").Append(message);
        var frames = _rng.Next(3, 9);
        for (var f = 0; f < frames; f++)
        {
            var project = _projects[_rng.Next(_projects.Length)];
            var cls = char.ToUpperInvariant(Vocabulary.Subjects[_rng.Next(Vocabulary.Subjects.Length)][0]) + Vocabulary.Subjects[_rng.Next(Vocabulary.Subjects.Length)][1..];
            sb.Append("\n   at Agents.").Append(char.ToUpperInvariant(project[0])).Append(project[1..]).Append('.').Append(cls)
              .Append(".Run").Append(_words[_wordZipf.Next(_rng)]).Append("Async(CancellationToken ct) in /home/agent/projects/")
              .Append(project).Append("/src/").Append(cls).Append(".cs:line ").Append(_rng.Next(10, 900));
        }
        return new ExceptionInfo(type, message, sb.ToString());
    }

    private double Gaussian()
    {
        var u1 = 1.0 - _rng.NextDouble();
        var u2 = _rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex HoleRegex();
}
