// Job: the report's stall and typed-agent-event sections (gaps in activity; actions, decisions, state changes, rewards).
using System.Globalization;
using System.Text;
using AgentScript.Queries;

namespace AgentScript.Cli.Output;

internal sealed partial class HtmlReport
{
    /// <summary>Gaps longer than this are shown as stalls.</summary>
    public TimeSpan StallThreshold { get; init; } = RunStalls.DefaultThreshold;

    /// <summary>Stalls found in the events shown (set by <see cref="Render"/>).</summary>
    public int StallCount { get; private set; }

    private void RenderAgentSections(StringBuilder sb)
    {
        var stalls = RunStalls.Find(_events, StallThreshold);
        StallCount = stalls.Count;
        if (stalls.Count > 0)
        {
            sb.Append("<section id=\"stalls\">\n<h2>Stalls (gaps over ").Append(H(Tables.Duration(StallThreshold.TotalMilliseconds))).Append(")</h2>\n<ul>\n");
            foreach (var s in stalls)
            {
                sb.Append("<li class=\"stall\" data-gap-ms=\"").Append(Math.Round(s.Gap.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)).Append("\">")
                  .Append("<b>").Append(H(Tables.Duration(s.Gap.TotalMilliseconds))).Append("</b> quiet after <a href=\"#ev-").Append(H(s.Before.EventId)).Append("\">")
                  .Append(H(Relative(s.Before.Timestamp))).Append("</a> ").Append(H(Tables.OneLine(s.Before.Message, 100)));
                if (s.After is { } after)
                {
                    sb.Append(" — resumed at <a href=\"#ev-").Append(H(after.EventId)).Append("\">").Append(H(Relative(after.Timestamp))).Append("</a> ")
                      .Append(H(Tables.OneLine(after.Message, 100)));
                }
                sb.Append("</li>\n");
            }
            sb.Append("</ul>\n</section>\n");
        }
        var agentEvents = _events.Where(AgentEventShapes.IsAgentEvent).ToList();
        if (agentEvents.Count > 0)
        {
            sb.Append("<section id=\"agent-events\">\n<h2>Agent events</h2>\n<ul>\n");
            foreach (var e in agentEvents)
            {
                sb.Append("<li class=\"agent-event\" data-category=\"").Append(H(e.Category)).Append("\"><a href=\"#ev-").Append(H(e.EventId)).Append("\">")
                  .Append(H(Relative(e.Timestamp))).Append("</a> <span class=\"cat\">").Append(H(e.Category)).Append("</span> ").Append(H(e.Message)).Append("</li>\n");
            }
            sb.Append("</ul>\n</section>\n");
        }
    }
}
