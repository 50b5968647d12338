using System.CommandLine;
using AgentScript.Storage;

namespace AgentScript.Cli.Infrastructure;

/// <summary>
/// Shared pieces for building commands: the global options, and the action wrapper that turns expected failures
/// into one stderr line and a documented exit code.
/// </summary>
internal sealed class CommandKit
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
                return Fail(e.ExitCode, e.Message);
            }
            catch (StoreUnavailableException e)
            {
                return Fail(CliExitCodes.StoreUnavailable,
                    $"Store unavailable: {e.Message} Check the store settings with 'agentlog doctor' (AGENTSCRIPT_STORE, ARANGO_URL).");
            }
            catch (StoreQueryException e)
            {
                return Fail(CliExitCodes.Usage, $"Query failed: {e.Message}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Fail(130, "Cancelled.");
            }
            catch (ArgumentException e)
            {
                // The store validates filters (empty search text, bad values) with ArgumentException.
                return Fail(CliExitCodes.Usage, StripParamName(e));
            }
            catch (FormatException e)
            {
                return Fail(CliExitCodes.Usage, e.Message);
            }
            catch (Exception e) when (!IsDebug())
            {
                return Fail(CliExitCodes.NotFound,
                    $"Unexpected error ({e.GetType().Name}): {e.Message} Set AGENTLOG_DEBUG=1 to see the stack trace.");
            }
        });

    private int Fail(int code, string message)
    {
        Settings.Error.WriteLine($"agentlog: {message.ReplaceLineEndings(" ")}");
        return code;
    }

    private bool IsDebug() =>
        Settings.Environment.TryGetValue("AGENTLOG_DEBUG", out var v) && v is "1" or "true";

    private static string StripParamName(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
}
