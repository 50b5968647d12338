using System.Globalization;
using System.Net;
using System.Text;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Cli.Output;

/// <summary>
/// Renders one run as a single self-contained HTML page (inline CSS and JS, no network): header, span timeline
/// (Gantt bars), progress, errors, the event tree nested by span / parent span, learnings and the final response.
/// </summary>
internal sealed partial class HtmlReport
{
    private readonly ExecutionSummary _summary;
    private readonly IReadOnlyList<LogEventRecord> _events;
    private readonly long _omitted;
    private readonly DateTimeOffset _start;
    private readonly Dictionary<string, Span> _spans = new(StringComparer.Ordinal);
    private readonly List<Span> _rootSpans = [];
    private readonly List<LogEventRecord> _rootEvents = [];

    /// <summary>Prepares the report.</summary>
    /// <param name="summary">The run's summary.</param>
    /// <param name="events">The run's events in time order.</param>
    /// <param name="omitted">Events left out because of the size limit.</param>
    public HtmlReport(ExecutionSummary summary, IReadOnlyList<LogEventRecord> events, long omitted)
    {
        _summary = summary;
        _events = events;
        _omitted = omitted;
        _start = summary.Run.StartTime;
        BuildTree();
    }

    /// <summary>Number of spans found.</summary>
    public int SpanCount => _spans.Count;

    /// <summary>A traced call: its start/end events and what happened inside it.</summary>
    private sealed class Span(string id)
    {
        public string Id { get; } = id;
        public string? ParentId { get; set; }
        public string? Name { get; set; }
        public DateTimeOffset? Start { get; set; }
        public DateTimeOffset? End { get; set; }
        public bool Failed { get; set; }
        public List<Span> Children { get; } = [];
        public List<LogEventRecord> Events { get; } = [];
        public DateTimeOffset SortTime => Start ?? Events.FirstOrDefault()?.Timestamp ?? DateTimeOffset.MaxValue;
    }

    private void BuildTree()
    {
        Span Get(string id) => _spans.TryGetValue(id, out var s) ? s : _spans[id] = new Span(id);
        foreach (var e in _events)
        {
            if (e.SpanId is null)
            {
                _rootEvents.Add(e);
                continue;
            }
            var span = Get(e.SpanId);
            span.ParentId ??= e.ParentSpanId;
            span.Name ??= e.FunctionName;
            span.Events.Add(e);
            if (e.Category == LogCategories.SpanStart)
            {
                span.Start = e.Timestamp;
            }
            else if (e.Category == LogCategories.SpanEnd)
            {
                span.End = e.Timestamp;
            }
            if (LogLevels.Rank(e.Level) >= LogLevels.Rank(LogLevels.Error) || e.Exception is not null)
            {
                span.Failed = true;
            }
        }
        foreach (var span in _spans.Values)
        {
            span.Start ??= span.Events.FirstOrDefault()?.Timestamp;
            span.End ??= span.Events.LastOrDefault()?.Timestamp;
            if (span.ParentId is { } p && p != span.Id && _spans.TryGetValue(p, out var parent) && !IsAncestor(span, parent))
            {
                parent.Children.Add(span);
            }
            else
            {
                _rootSpans.Add(span);
            }
        }
    }

    private bool IsAncestor(Span candidate, Span of)
    {
        // Guards against parent cycles in bad data: is `candidate` already above `of`?
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var s = of; s.ParentId is { } p && seen.Add(s.Id) && _spans.TryGetValue(p, out var next); s = next)
        {
            if (next == candidate)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The page.</summary>
    public string Render()
    {
        var run = _summary.Run;
        var sb = new StringBuilder(64 * 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>Run ").Append(H(run.ExecutionId)).Append(" — agentlog report</title>\n");
        sb.Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n");

        // Header.
        sb.Append("<header>\n<h1>Run <span id=\"run-id\">").Append(H(run.ExecutionId)).Append("</span></h1>\n");
        sb.Append("<p class=\"meta\"><span class=\"status status-").Append(H(run.Status.ToName())).Append("\" id=\"run-status\">")
          .Append(H(run.Status.ToName())).Append("</span> ");
        sb.Append("script <b id=\"run-script\">").Append(H(run.ScriptName)).Append("</b> · mode <b>").Append(H(run.Mode)).Append("</b> · started ")
          .Append(H(Tables.Time(run.StartTime))).Append(" UTC");
        if (run.EndTime is { } end)
        {
            sb.Append(" · ended ").Append(H(Tables.Time(end))).Append(" UTC");
        }
        if (run.DurationMs is { } d)
        {
            sb.Append(" · duration <b>").Append(H(Tables.Duration(d))).Append("</b>");
        }
        sb.Append(" · host ").Append(H(run.Host ?? "?")).Append(" pid ").Append(run.Pid.ToString(CultureInfo.InvariantCulture)).Append("</p>\n");
        sb.Append("<p class=\"counts\" id=\"counts\">").Append(_summary.EventCount.ToString(CultureInfo.InvariantCulture)).Append(" events");
        foreach (var (level, count) in _summary.CountsByLevel.OrderBy(kv => LogLevels.Rank(kv.Key)))
        {
            sb.Append(" · <span class=\"lvl lvl-").Append(H(level.ToLowerInvariant())).Append("\">").Append(H(level)).Append("</span> ")
              .Append(count.ToString(CultureInfo.InvariantCulture));
        }
        sb.Append("</p>\n");
        var tokens = AgentScript.Tracing.RunTokenUsage.From(_events);
        if (tokens.Calls > 0)
        {
            sb.Append("<p class=\"counts\" id=\"tokens\">LLM tokens: ").Append(tokens.InputTokens.ToString(CultureInfo.InvariantCulture))
              .Append(" input · ").Append(tokens.OutputTokens.ToString(CultureInfo.InvariantCulture)).Append(" output in ")
              .Append(tokens.Calls.ToString(CultureInfo.InvariantCulture)).Append(" calls</p>\n");
        }
        if (run.Error is { } err)
        {
            sb.Append("<div class=\"run-error\" id=\"run-error\"><b>").Append(H(err.Type)).Append("</b>: ").Append(H(err.Message)).Append("</div>\n");
        }
        sb.Append("</header>\n<main>\n");

        RenderSpanTimeline(sb);
        RenderProgress(sb);
        RenderErrors(sb);
        RenderAgentSections(sb);

        // The event tree.
        sb.Append("<section id=\"timeline\">\n<h2>Timeline</h2>\n");
        sb.Append("<div class=\"controls\"><label>Filter <input id=\"filter\" type=\"search\" placeholder=\"text in messages\"></label> ");
        foreach (var level in LogLevels.All)
        {
            sb.Append("<label class=\"lvl lvl-").Append(level.ToLowerInvariant()).Append("\"><input type=\"checkbox\" class=\"level-toggle\" value=\"")
              .Append(level).Append("\" checked> ").Append(level).Append("</label> ");
        }
        sb.Append("<button type=\"button\" id=\"expand-all\">expand all</button> <button type=\"button\" id=\"collapse-all\">collapse all</button></div>\n");
        sb.Append("<div class=\"tree\" id=\"event-tree\">\n");
        RenderItems(sb, _rootEvents, _rootSpans, 0);
        sb.Append("</div>\n");
        if (_omitted > 0)
        {
            sb.Append("<p class=\"omitted\" id=\"omitted\">").Append(_omitted.ToString(CultureInfo.InvariantCulture))
              .Append(" more events not shown (raise --max-events, or use agentlog export).</p>\n");
        }
        sb.Append("</section>\n");

        if (_summary.Learnings.Count > 0)
        {
            sb.Append("<section id=\"learnings\">\n<h2>Learnings</h2>\n<ul>\n");
            foreach (var l in _summary.Learnings)
            {
                sb.Append("<li class=\"learning\"><span class=\"conf\">").Append(Tables.Number(l.Confidence)).Append("</span> ")
                  .Append(l.FunctionName is null ? "" : "<code>" + H(l.FunctionName) + "</code> ").Append(H(l.Learning)).Append("</li>\n");
            }
            sb.Append("</ul>\n</section>\n");
        }

        sb.Append("<section id=\"final-response-section\">\n<h2>Final response</h2>\n");
        var final = _summary.FinalResponseJson ?? run.FinalResponseJson;
        sb.Append("<pre id=\"final-response\">")
          .Append(final is null ? "(none)" : H(JsonShapes.Embedded(final)?.ToJsonString(JsonShapes.Indented) ?? "null"))
          .Append("</pre>\n</section>\n");
        sb.Append("</main>\n<footer>Generated by agentlog at ").Append(H(Tables.Time(DateTimeOffset.UtcNow))).Append(" UTC.</footer>\n");
        sb.Append("<script>").Append(Js).Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private const double MinBarWidth = 0.4;

    private void RenderSpanTimeline(StringBuilder sb)
    {
        if (_spans.Count == 0)
        {
            return;
        }
        var end = _summary.Run.EndTime ?? _events.LastOrDefault()?.Timestamp ?? _start;
        var total = Math.Max(1.0, (end - _start).TotalMilliseconds);
        sb.Append("<section id=\"spans\">\n<h2>Spans</h2>\n<div class=\"gantt\">\n");
        void Row(Span s, int depth)
        {
            // A span starting at the very end still gets its minimum width: the bar starts at most that far from the end.
            var from = Math.Clamp(((s.Start ?? _start) - _start).TotalMilliseconds / total * 100, 0, 100 - MinBarWidth);
            var width = Math.Clamp(((s.End ?? s.Start ?? _start) - (s.Start ?? _start)).TotalMilliseconds / total * 100, MinBarWidth, 100 - from);
            var ms = ((s.End ?? s.Start ?? _start) - (s.Start ?? _start)).TotalMilliseconds;
            sb.Append("<div class=\"gantt-row\" data-span-id=\"").Append(H(s.Id)).Append("\"><span class=\"gantt-label\" style=\"padding-left:")
              .Append((depth * 14).ToString(CultureInfo.InvariantCulture)).Append("px\">").Append(H(s.Name ?? s.Id)).Append("</span>")
              .Append("<span class=\"gantt-track\"><span class=\"gantt-bar").Append(s.Failed ? " failed" : "").Append("\" style=\"left:")
              .Append(from.ToString("0.###", CultureInfo.InvariantCulture)).Append("%;width:").Append(width.ToString("0.###", CultureInfo.InvariantCulture))
              .Append("%\" title=\"").Append(H(Tables.Duration(ms))).Append("\"></span></span><span class=\"gantt-ms\">")
              .Append(H(Tables.Duration(ms))).Append("</span></div>\n");
            foreach (var c in s.Children.OrderBy(c => c.SortTime))
            {
                Row(c, depth + 1);
            }
        }
        foreach (var s in _rootSpans.OrderBy(s => s.SortTime))
        {
            Row(s, 0);
        }
        sb.Append("</div>\n</section>\n");
    }

    private void RenderProgress(StringBuilder sb)
    {
        var progress = _summary.Progress.Count > 0 ? _summary.Progress : _summary.Run.Progress is { } last ? [last] : [];
        if (progress.Count == 0)
        {
            return;
        }
        sb.Append("<section id=\"progress\">\n<h2>Progress</h2>\n");
        foreach (var p in progress)
        {
            var pct = Math.Clamp(p.Percent, 0, 100);
            sb.Append("<div class=\"progress-row\"><span class=\"rel\">").Append(H(Relative(p.Time))).Append("</span>")
              .Append("<span class=\"progress-track\"><span class=\"progress-bar\" style=\"width:").Append(pct.ToString("0.##", CultureInfo.InvariantCulture))
              .Append("%\"></span></span><span class=\"progress-pct\">").Append(pct.ToString("0.#", CultureInfo.InvariantCulture)).Append("%</span> ")
              .Append("<span class=\"progress-stage\">").Append(H(p.Stage)).Append("</span></div>\n");
        }
        sb.Append("</section>\n");
    }

    private void RenderErrors(StringBuilder sb)
    {
        var errors = _events.Where(IsError).ToList();
        if (errors.Count == 0 && _summary.Errors.Count == 0)
        {
            return;
        }
        if (errors.Count == 0)
        {
            errors = [.. _summary.Errors];
        }
        sb.Append("<section id=\"errors\">\n<h2>Errors (").Append(errors.Count.ToString(CultureInfo.InvariantCulture)).Append(")</h2>\n<ul>\n");
        foreach (var e in errors)
        {
            sb.Append("<li class=\"error-item\"><a href=\"#ev-").Append(H(e.EventId)).Append("\">").Append(H(Relative(e.Timestamp))).Append("</a> ")
              .Append("<span class=\"lvl lvl-").Append(H(e.Level.ToLowerInvariant())).Append("\">").Append(H(e.Level)).Append("</span> ")
              .Append(H(e.Message));
            if (e.Exception is { } x)
            {
                sb.Append(" — <code>").Append(H(x.Type)).Append("</code>: ").Append(H(x.Message));
            }
            sb.Append("</li>\n");
        }
        sb.Append("</ul>\n</section>\n");
    }

    private void RenderItems(StringBuilder sb, List<LogEventRecord> events, List<Span> spans, int depth)
    {
        // Events and child spans interleaved in time order.
        var items = events.Select(e => (Time: e.Timestamp, Event: (LogEventRecord?)e, Span: (Span?)null))
            .Concat(spans.Select(s => (Time: s.SortTime, Event: (LogEventRecord?)null, Span: (Span?)s)))
            .OrderBy(i => i.Time)
            .ThenBy(i => i.Span is null ? 1 : 0);
        foreach (var (_, e, s) in items)
        {
            if (e is not null)
            {
                RenderEvent(sb, e);
            }
            else if (s is not null)
            {
                var ms = ((s.End ?? s.Start ?? _start) - (s.Start ?? _start)).TotalMilliseconds;
                sb.Append("<details class=\"span").Append(s.Failed ? " failed" : "").Append("\" open data-span-id=\"").Append(H(s.Id))
                  .Append("\" data-parent-span-id=\"").Append(H(s.ParentId ?? "")).Append("\" data-depth=\"").Append(depth.ToString(CultureInfo.InvariantCulture)).Append("\">")
                  .Append("<summary><span class=\"span-name\">").Append(H(s.Name ?? "span")).Append("</span> <span class=\"span-meta\">")
                  .Append(H(Relative(s.Start ?? _start))).Append(" · ").Append(H(Tables.Duration(ms))).Append(" · span ").Append(H(s.Id))
                  .Append("</span></summary>\n<div class=\"span-body\">\n");
                RenderItems(sb, s.Events, s.Children, depth + 1);
                sb.Append("</div></details>\n");
            }
        }
    }

    private void RenderEvent(StringBuilder sb, LogEventRecord e)
    {
        var level = e.Level.ToLowerInvariant();
        sb.Append("<div class=\"event lvl-").Append(H(level)).Append(IsError(e) ? " error" : "").Append("\" id=\"ev-").Append(H(e.EventId))
          .Append("\" data-event-id=\"").Append(H(e.EventId)).Append("\" data-level=\"").Append(H(e.Level)).Append("\" data-category=\"").Append(H(e.Category))
          .Append("\" data-span-id=\"").Append(H(e.SpanId ?? "")).Append("\">");
        sb.Append("<span class=\"rel\" title=\"").Append(H(Tables.Time(e.Timestamp))).Append(" UTC\">").Append(H(Relative(e.Timestamp))).Append("</span>")
          .Append("<span class=\"lvl lvl-").Append(H(level)).Append("\">").Append(H(e.Level)).Append("</span>");
        if (e.Category != e.Level)
        {
            sb.Append("<span class=\"cat\">").Append(H(e.Category)).Append("</span>");
        }
        if (e.FunctionName is not null)
        {
            sb.Append("<code class=\"fn\">").Append(H(e.FunctionName)).Append("</code>");
        }
        sb.Append("<span class=\"msg\">").Append(H(e.Message)).Append("</span>");
        if (e.Exception is { } x)
        {
            sb.Append("<details class=\"exception\"><summary>").Append(H(x.Type)).Append(": ").Append(H(x.Message)).Append("</summary><pre>")
              .Append(H(x.StackTrace ?? "")).Append("</pre></details>");
        }
        if (e.ExtraJson is { Length: > 2 } extra)
        {
            sb.Append("<details class=\"extra\"><summary>properties</summary><pre>")
              .Append(H(JsonShapes.Embedded(extra)?.ToJsonString(JsonShapes.Indented) ?? extra)).Append("</pre></details>");
        }
        sb.Append("</div>\n");
    }

    private static bool IsError(LogEventRecord e) => LogLevels.Rank(e.Level) >= LogLevels.Rank(LogLevels.Error);

    private string Relative(DateTimeOffset t)
    {
        var ms = (t - _start).TotalMilliseconds;
        return (ms < 0 ? "-" : "+") + (Math.Abs(ms) / 1000).ToString("0.000", CultureInfo.InvariantCulture) + "s";
    }

    private static string H(string? s) => WebUtility.HtmlEncode(s ?? "");
}
