// Job: the report's inline stylesheet and script (the page loads nothing from the network).
namespace AgentScript.Cli.Output;

internal sealed partial class HtmlReport
{
    private const string Css = """

        :root { --fg:#1d2430; --muted:#667085; --line:#e4e7ec; --err:#c62828; --errbg:#fdecec; --warn:#b26a00; --ok:#1b7f3b; --accent:#2f6fdb; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: #f7f8fa; }
        header, main, footer { max-width: 1200px; margin: 0 auto; padding: 12px 20px; }
        header { background: #fff; border-bottom: 1px solid var(--line); max-width: none; }
        h1 { font-size: 20px; margin: 4px 0; } h1 span { font-family: ui-monospace, monospace; }
        h2 { font-size: 16px; margin: 18px 0 8px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px 12px; margin: 12px 0; }
        .meta, .counts { color: var(--muted); margin: 4px 0; }
        .status { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; background: var(--muted); font-weight: 600; }
        .status-success { background: var(--ok); } .status-failed, .status-abandoned { background: var(--err); } .status-cancelled { background: var(--warn); } .status-running { background: var(--accent); }
        .run-error { background: var(--errbg); color: var(--err); padding: 6px 10px; border-radius: 6px; margin-top: 6px; }
        .lvl { display: inline-block; min-width: 64px; font: 600 11px ui-monospace, monospace; padding: 1px 4px; border-radius: 4px; text-align: center; }
        .lvl.lvl-trace, .lvl.lvl-debug { color: var(--muted); } .lvl.lvl-info { color: var(--accent); } .lvl.lvl-warning { color: var(--warn); }
        .lvl.lvl-error, .lvl.lvl-critical { color: #fff; background: var(--err); }
        .event.lvl-warning .msg { color: var(--warn); } .event.error .msg { color: var(--err); font-weight: 600; }
        .controls { margin-bottom: 8px; color: var(--muted); } .controls label { margin-right: 6px; }
        .event { display: flex; gap: 8px; align-items: baseline; padding: 2px 4px; border-bottom: 1px dotted var(--line); flex-wrap: wrap; }
        .event.error { background: var(--errbg); border-left: 3px solid var(--err); }
        .event .rel, .progress-row .rel { font: 12px ui-monospace, monospace; color: var(--muted); min-width: 72px; }
        .event .cat { font: 11px ui-monospace, monospace; color: var(--muted); }
        .event .fn { font-size: 12px; color: #5b3cc4; }
        .event .msg { flex: 1 1 300px; white-space: pre-wrap; word-break: break-word; }
        .event details { flex-basis: 100%; margin-left: 80px; } .event pre { font-size: 12px; background: #f2f4f7; padding: 6px; overflow: auto; max-height: 300px; }
        details.span { margin: 4px 0 4px 0; border-left: 3px solid var(--accent); padding-left: 10px; }
        details.span.failed { border-left-color: var(--err); }
        details.span > summary { cursor: pointer; font-weight: 600; } .span-meta { font-weight: 400; color: var(--muted); font-size: 12px; }
        .gantt-row { display: flex; align-items: center; gap: 8px; height: 22px; }
        .gantt-label { width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font: 12px ui-monospace, monospace; }
        .gantt-track { flex: 1; position: relative; height: 12px; background: #f2f4f7; border-radius: 3px; }
        .gantt-bar { position: absolute; top: 0; height: 12px; background: var(--accent); border-radius: 3px; min-width: 2px; }
        .gantt-bar.failed { background: var(--err); } .gantt-ms { width: 80px; font: 12px ui-monospace, monospace; color: var(--muted); }
        .progress-row { display: flex; align-items: center; gap: 8px; margin: 3px 0; }
        .progress-track { width: 240px; height: 10px; background: #f2f4f7; border-radius: 5px; overflow: hidden; }
        .progress-bar { display: block; height: 10px; background: var(--ok); } .progress-pct { width: 48px; font: 12px ui-monospace, monospace; }
        .error-item { color: var(--err); margin: 2px 0; }
        #final-response { background: #f2f4f7; padding: 10px; overflow: auto; max-height: 480px; }
        .hidden { display: none !important; } .omitted { color: var(--warn); } footer { color: var(--muted); font-size: 12px; }

        """;

    private const string Js = """

        (function () {
          var filter = document.getElementById('filter');
          var toggles = Array.prototype.slice.call(document.querySelectorAll('.level-toggle'));
          function apply() {
            var text = (filter.value || '').toLowerCase();
            var levels = {};
            toggles.forEach(function (t) { levels[t.value] = t.checked; });
            document.querySelectorAll('.event').forEach(function (row) {
              var show = levels[row.getAttribute('data-level')] !== false && (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
              row.classList.toggle('hidden', !show);
            });
          }
          filter.addEventListener('input', apply);
          toggles.forEach(function (t) { t.addEventListener('change', apply); });
          document.getElementById('expand-all').addEventListener('click', function () {
            document.querySelectorAll('details.span').forEach(function (d) { d.open = true; });
          });
          document.getElementById('collapse-all').addEventListener('click', function () {
            document.querySelectorAll('details.span').forEach(function (d) { d.open = false; });
          });
          document.body.setAttribute('data-report-ready', 'true');
        })();

        """;
}
