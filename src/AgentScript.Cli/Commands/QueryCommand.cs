using System.CommandLine;
using Spectre.Console;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog query &lt;native query&gt;</c>: raw SQL (SQLite) or AQL (ArangoDB).</summary>
internal static class QueryCommand
{
    public static Command Create(CommandKit kit)
    {
        var text = new Argument<string>("query") { Description = "SQL for the SQLite store, AQL for ArangoDB. Put user values in parameters (@name), never in the text." };
        var parameters = new Option<string[]>("--param", "-p")
        {
            Description = "A bind parameter name=value (repeatable). Whole numbers become integers, decimals doubles, " +
                          "true/false booleans, null null; anything else, or a value in single quotes ('0123'), is text.",
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        var write = new Option<bool>("--write") { Description = "Allow the query to change data (read-only otherwise)." };
        var timeout = new Option<string?>("--timeout")
        {
            Description = $"Stop the query after this long (default {DefaultTimeout}, or {TimeoutVariable} when set; 0 = no limit), for example 2m.",
        };
        var command = new Command("query",
            "Run a native query against the store — SQL on SQLite (tables log_events, script_runs, agent_learnings, " +
            "log_relations; FTS5 table for search), AQL on ArangoDB — with bind parameters. Read-only unless --write. " +
            "A query the store rejects prints the store's own message and exits with code 2; a PRAGMA that would change the " +
            "store is refused at once in read-only mode. A query runs for at most --timeout (default 30s, or " +
            "AGENTLOG_QUERY_TIMEOUT); one that needs longer is stopped with exit code 5.\n" +
            "Examples:\n  agentlog query \"SELECT script_name, count(*) AS runs FROM script_runs GROUP BY script_name\"\n" +
            "  agentlog query \"SELECT message FROM log_events WHERE execution_id = @id\" --param id=<execution-id> --json\n" +
            "  agentlog query \"FOR r IN script_runs FILTER r.status == @s RETURN r\" --param s=failed   (ArangoDB)")
        {
            text, parameters, write, timeout,
        };
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var sql = r.GetValue(text);
            if (string.IsNullOrWhiteSpace(sql))
            {
                throw CliException.Usage("The query is empty. Give a SQL (SQLite) or AQL (ArangoDB) query.");
            }
            var bind = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var p in r.GetValue(parameters) ?? [])
            {
                var (name, value) = CliParsing.Parameter(p);
                bind[name] = value;
            }
            var (limit, limitSource) = Limit(r.GetValue(timeout), ctx);
            var (store, _) = await ctx.OpenStoreAsync(ct);
            await using (store)
            {
                Queries.RawQueryResult result;
                using (var limited = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    if (limit > TimeSpan.Zero)
                    {
                        limited.CancelAfter(limit);
                    }
                    try
                    {
                        result = await store.QueryAsync(sql, bind, r.GetValue(write), limited.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested && limited.IsCancellationRequested)
                    {
                        throw new CliException(CliExitCodes.TimeLimit,
                            $"The query ran for its time limit of {Tables.Duration(limit.TotalMilliseconds)} ({limitSource}) and was stopped. " +
                            $"Narrow it (a WHERE on execution_id, script_name or timestamp, a LIMIT, no unbounded recursion), " +
                            $"or raise the limit with --timeout 5m (or {TimeoutVariable}=5m; 0 = no limit).");
                    }
                }
                if (ctx.Json)
                {
                    var names = UniqueNames(result.Columns);
                    ctx.WriteJson(new JsonObject
                    {
                        ["columns"] = JsonShapes.Array(result.Columns, c => JsonValue.Create(c)),
                        ["row_count"] = result.Rows.Count,
                        ["rows"] = JsonShapes.Array(result.Rows, row =>
                        {
                            var o = new JsonObject();
                            for (var i = 0; i < names.Count; i++)
                            {
                                o[names[i]] = i < row.Count ? JsonShapes.Value(row[i]) : null;
                            }
                            return o;
                        }),
                        ["rows_affected"] = result.RowsAffected,
                    });
                    return CliExitCodes.Ok;
                }
                if (result.Columns.Count > 0)
                {
                    var table = Tables.Create(result.Columns.ToArray());
                    foreach (var row in result.Rows)
                    {
                        table.Row(row.Select(v => v switch
                        {
                            null => "NULL",
                            double d => d.ToString("R", CultureInfo.InvariantCulture),
                            _ => Tables.OneLine(Convert.ToString(v, CultureInfo.InvariantCulture), 200),
                        }).ToArray());
                    }
                    ctx.Console.Write(table);
                }
                ctx.Console.WriteLine($"{result.Rows.Count} row(s)" + (result.RowsAffected is { } a ? $", {a} affected." : "."));
                return CliExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>The default time limit of a raw query.</summary>
    internal const string DefaultTimeout = "30s";

    /// <summary>The environment variable that changes the default time limit.</summary>
    internal const string TimeoutVariable = "AGENTLOG_QUERY_TIMEOUT";

    /// <summary>The time limit in effect and where it came from (for the error message).</summary>
    private static (TimeSpan Limit, string Source) Limit(string? option, CliContext ctx)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return (LimitValue(option, "--timeout"), "--timeout");
        }
        if (ctx.Settings.Environment.TryGetValue(TimeoutVariable, out var env) && !string.IsNullOrWhiteSpace(env))
        {
            return (LimitValue(env, TimeoutVariable), TimeoutVariable);
        }
        return (CliParsing.Duration(DefaultTimeout, "--timeout"), "the default");
    }

    private static TimeSpan LimitValue(string text, string name) =>
        text.Trim() == "0" ? TimeSpan.Zero : CliParsing.Duration(text, name);

    /// <summary>Column names made unique (<c>name</c>, <c>name_2</c>, …) so rows can be JSON objects.</summary>
    internal static IReadOnlyList<string> UniqueNames(IReadOnlyList<string> columns)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>(columns.Count);
        foreach (var c in columns)
        {
            var n = seen.TryGetValue(c, out var k) ? k + 1 : 1;
            seen[c] = n;
            names.Add(n == 1 ? c : $"{c}_{n}");
        }
        return names;
    }
}
