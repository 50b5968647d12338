using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentScript.Storage;

namespace AgentScript.Cli.Infrastructure;

/// <summary>
/// Shared pieces for building commands: the global options, and the action wrapper that turns expected failures
/// into one stderr line and a documented exit code.
/// </summary>
internal sealed partial class CommandKit
{
    public CommandKit(CliSettings settings)
    {
        Settings = settings;
        Json = new Option<bool>("--json")
        {
            Description = "Print machine-readable JSON on stdout (stable snake_case field names; see docs/cli.md).",
            Recursive = true,
        };
        Store = new Option<string?>("--store")
        {
            Description = "Store to use, overriding AGENTSCRIPT_STORE: sqlite:<path>, sqlite or arangodb.",
            Recursive = true,
            HelpName = "selector",
        };
    }

    /// <summary>Host settings.</summary>
    public CliSettings Settings { get; }
    /// <summary><c>--json</c>.</summary>
    public Option<bool> Json { get; }
    /// <summary><c>--store</c>.</summary>
    public Option<string?> Store { get; }

    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="run"/> with error handling.</summary>
    public void SetAction(Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> run) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = new CliContext(Settings, parseResult.GetValue(Json), parseResult.GetValue(Store));
            try
            {
                return await run(context, parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (CliException e)
            {
                return Fail(context, e.ExitCode, e.Message);
            }
            catch (StoreUnavailableException e) when (IsDamaged(e))
            {
                return Fail(context, CliExitCodes.StoreDamaged,
                    $"Store damaged: {e.Message} Run 'agentlog doctor' for a full check and what to do.");
            }
            catch (StoreUnavailableException e)
            {
                return Fail(context, CliExitCodes.StoreUnavailable,
                    $"Store unavailable: {e.Message} Check the store settings with 'agentlog doctor' (AGENTSCRIPT_STORE, ARANGO_URL).");
            }
            catch (StoreQueryException e)
            {
                return Fail(context, CliExitCodes.Usage, $"Query failed: {e.Message}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Fail(context, 130, "Cancelled.");
            }
            catch (ArgumentException e)
            {
                // The store validates filters (empty search text, bad values) with ArgumentException.
                return Fail(context, CliExitCodes.Usage, StripParamName(e));
            }
            catch (FormatException e)
            {
                return Fail(context, CliExitCodes.Usage, e.Message);
            }
            catch (Exception e) when (!IsDebug())
            {
                return Fail(context, CliExitCodes.NotFound,
                    $"Unexpected error ({e.GetType().Name}): {Sentence(e.Message)} Set AGENTLOG_DEBUG=1 to see the stack trace.");
            }
        });

    /// <summary>
    /// Reports a failure: one line on stderr, and with <c>--json</c> also the documented error object on stdout
    /// (<c>{"error": {"exit_code", "kind", "message"}}</c>), so an agent reading stdout never gets nothing.
    /// </summary>
    private int Fail(CliContext context, int code, string message)
    {
        var line = Sentence(message.ReplaceLineEndings(" "));
        Settings.Error.WriteLine($"agentlog: {line}");
        if (context.Json)
        {
            context.WriteJson(new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["exit_code"] = code,
                    ["kind"] = Kind(code),
                    ["message"] = line,
                },
            });
        }
        return code;
    }

    /// <summary>The <c>kind</c> of the JSON error object for an exit code (documented in docs/cli.md).</summary>
    internal static string Kind(int code) => code switch
    {
        CliExitCodes.NotFound => "not_found",
        CliExitCodes.Usage => "usage",
        CliExitCodes.StoreUnavailable => "store_unavailable",
        CliExitCodes.StoreDamaged => "store_damaged",
        CliExitCodes.TimeLimit => "time_limit",
        130 => "cancelled",
        _ => "failed",
    };

    /// <summary>
    /// A message whose sentences end with one full stop: messages built around another message ("… {inner}. Fix: …")
    /// would otherwise print "..". An ellipsis ("...") is left alone.
    /// </summary>
    internal static string Sentence(string message)
    {
        var text = DoubleStop().Replace(message.TrimEnd(), ".");
        return text.Length == 0 || text[^1] is '.' or '!' or '?' or ')' or '\'' or '"' ? text : text + ".";
    }

    [GeneratedRegex(@"(?<!\.)\.\.(?!\.)")]
    private static partial Regex DoubleStop();

    private static bool IsDamaged(StoreUnavailableException e) =>
        e.InnerException is Microsoft.Data.Sqlite.SqliteException se && (se.SqliteErrorCode & 0xFF) is 11 or 26;

    private bool IsDebug() =>
        Settings.Environment.TryGetValue("AGENTLOG_DEBUG", out var v) && v is "1" or "true";

    private static string StripParamName(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
}
