using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;
using AgentScript.Configuration;
using AgentScript.Storage;
using AgentScript.Storage.Sqlite;
using Spectre.Console;

namespace AgentScript.Cli.Commands;

/// <summary><c>agentlog doctor</c>: configuration in effect, store health, durable buffer, sink counters.</summary>
internal static class DoctorCommand
{
    /// <summary>Shown instead of the password, always.</summary>
    internal const string HiddenPassword = "********";

    public static Command Create(CommandKit kit)
    {
        var command = new Command("doctor",
            "Check the set-up: the configuration in effect (from the environment and .env; the password is never shown), " +
            "whether the store is reachable, its schema version and row counts, the durable buffer's backlog " +
            "(events waiting to be replayed — 'agentlog flush' replays them), the sink counters and, for the SQLite " +
            "store, an integrity check of the file (PRAGMA quick_check, bounded by --integrity-limit) that says what to " +
            "do when the file is damaged.\n" +
            "Exit code 0 when the store is reachable and not found damaged, 3 when it is not reachable, 4 when the file " +
            "is damaged (the rest is printed either way).\n" +
            "Examples:\n  agentlog doctor\n  agentlog doctor --json\n  agentlog doctor --integrity-limit 5m");
        var integrityLimit = new Option<string>("--integrity-limit")
        {
            Description = "Longest time the SQLite integrity check may take (it reads the whole file); 0 skips it.",
            DefaultValueFactory = _ => "30s",
        };
        command.Options.Add(integrityLimit);
        kit.SetAction(command, async (ctx, r, ct) =>
        {
            var limitText = r.GetValue(integrityLimit)!.Trim();
            var limit = limitText == "0" ? TimeSpan.Zero : CliParsing.Duration(limitText, "--integrity-limit");
            var options = ctx.Options;
            StoreInfo? info = null;
            string? storeError = null;
            try
            {
                var (store, i) = await ctx.OpenStoreAsync(ct);
                await store.DisposeAsync();
                info = i;
            }
            catch (StoreUnavailableException e)
            {
                storeError = e.Message;
            }
            var buffer = ctx.Runtime.GetBufferStatus(options);
            var integrity = options.Store == StoreKind.Sqlite && limit > TimeSpan.Zero
                ? StoreIntegrity.Check(Path.GetFullPath(options.SqlitePath, ctx.Settings.WorkingDirectory), limit, ct)
                : null;
            var damaged = integrity?.Report.Outcome == SqliteIntegrityOutcome.Damaged;
            var ok = info is not null && !damaged;

            if (ctx.Json)
            {
                ctx.WriteJson(new JsonObject
                {
                    ["ok"] = ok,
                    ["configuration"] = Configuration(options),
                    ["store"] = new JsonObject
                    {
                        ["reachable"] = ok,
                        ["kind"] = info?.Kind ?? (options.Store == StoreKind.Sqlite ? "sqlite" : "arangodb"),
                        ["location"] = info?.Location ?? options.DescribeStore(),
                        ["schema_version"] = info?.SchemaVersion,
                        ["counts"] = info is null ? null : JsonShapes.Counts(info.Counts),
                        ["error"] = storeError,
                    },
                    ["buffer"] = new JsonObject
                    {
                        ["directory"] = buffer.Directory,
                        ["exists"] = buffer.Exists,
                        ["files"] = buffer.Files,
                        ["bytes"] = buffer.Bytes,
                        ["pending_bytes"] = buffer.PendingBytes,
                        ["dead_letter_bytes"] = buffer.DeadLetterBytes,
                    },
                    ["integrity"] = integrity?.ToJson(),
                    ["counters"] = buffer.Counters is null ? null : JsonShapes.Counts(buffer.Counters),
                    ["counters_updated_at"] = JsonShapes.Time(buffer.CountersUpdatedAt),
                    ["counters_pid"] = buffer.CountersPid,
                    ["last_store_error"] = buffer.LastError,
                    ["dropped_runs"] = buffer.DroppedRuns is null ? null : JsonShapes.Counts(buffer.DroppedRuns),
                });
            }
            else
            {
                var config = Tables.Create("setting", "value");
                foreach (var (k, v) in Configuration(options))
                {
                    config.Row(k, v switch { null => "", JsonValue jv => jv.ToString(), _ => v.ToJsonString() });
                }
                ctx.Console.Write(new Rule("Configuration").LeftJustified());
                ctx.Console.Write(config);
                ctx.Console.Write(new Rule("Store").LeftJustified());
                if (info is not null)
                {
                    ctx.Console.WriteLine($"Reachable: {info.Kind} at {info.Location}, schema version {info.SchemaVersion}.");
                    var counts = Tables.Create("table", "rows");
                    foreach (var (name, count) in info.Counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        counts.Row(name, count.ToString(CultureInfo.InvariantCulture));
                    }
                    ctx.Console.Write(counts);
                }
                else
                {
                    ctx.Console.WriteLine($"NOT reachable: {storeError}");
                }
                if (integrity is not null)
                {
                    ctx.Console.Write(new Rule("Integrity").LeftJustified());
                    ctx.Console.WriteLine(integrity.Describe());
                }
                ctx.Console.Write(new Rule("Durable buffer").LeftJustified());
                ctx.Console.WriteLine(buffer.Exists
                    ? $"{buffer.Directory}: {buffer.Files} buffer file(s), {buffer.PendingBytes} bytes waiting to be replayed" +
                      (buffer.DeadLetterBytes > 0 ? $", {buffer.DeadLetterBytes} bytes in the dead-letter file" : "") +
                      (buffer.PendingBytes > 0 ? ". Run 'agentlog flush' to replay." : ".")
                    : $"{buffer.Directory}: no buffer (nothing waiting).");
                ctx.Console.Write(new Rule("Sink counters").LeftJustified());
                if (buffer.Counters is { Count: > 0 } counters)
                {
                    var t = Tables.Create("counter", "value");
                    foreach (var (k, v) in counters.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        t.Row(k, v.ToString(CultureInfo.InvariantCulture));
                    }
                    ctx.Console.Write(t);
                    ctx.Console.WriteLine($"Written by process {buffer.CountersPid} at {Tables.Time(buffer.CountersUpdatedAt)} UTC." +
                        (buffer.LastError is { } le ? $" Last store error: {le}" : ""));
                    if (counters.GetValueOrDefault("dropped") is > 0 and var dropped)
                    {
                        var runs = buffer.DroppedRuns is { Count: > 0 } droppedRuns ? " Runs: " + string.Join(", ", droppedRuns.Select(kv => $"{kv.Key} ({kv.Value})")) + "." : "";
                        ctx.Console.WriteLine($"WARNING: {dropped} log write(s) were DROPPED (the durable buffer was full or could not be written); the record of those runs is incomplete and their end record says so.{runs} Free disk space or raise LOG_MAX_BUFFER_SIZE_MB.");
                    }
                }
                else
                {
                    ctx.Console.WriteLine("No sink counters recorded yet (a script writes them when it runs).");
                }
            }
            if (damaged)
            {
                ctx.Error.WriteLine($"agentlog: the store file {integrity!.Path} is damaged; see the Integrity section for what to do.");
                return CliExitCodes.StoreDamaged;
            }
            return ok ? CliExitCodes.Ok : CliExitCodes.StoreUnavailable;
        });
        return command;
    }

    /// <summary>The configuration as shown by doctor — the password replaced by <see cref="HiddenPassword"/>.</summary>
    internal static JsonObject Configuration(AgentScriptOptions o) => new()
    {
        ["store"] = o.Store == StoreKind.Sqlite ? "sqlite" : "arangodb",
        ["location"] = o.DescribeStore(),
        ["sqlite_path"] = o.SqlitePath,
        ["arango_url"] = o.Arango.Url.ToString(),
        ["arango_username"] = o.Arango.Username,
        ["arango_password"] = HiddenPassword,
        ["arango_password_is_default"] = o.Arango.Password == new ArangoOptions().Password,
        ["arango_database"] = o.Arango.Database,
        ["batch_size"] = o.BatchSize,
        ["flush_interval_seconds"] = o.FlushInterval.TotalSeconds,
        ["buffer_directory"] = o.BufferDirectory,
        ["max_buffer_size_mb"] = o.MaxBufferSizeMb,
        ["retention_days"] = o.RetentionDays,
        ["durability"] = o.Durability == Durability.Batched ? "batched" : "sync",
        ["console_level"] = o.ConsoleLevel,
        ["env_file"] = o.EnvFile,
    };
}
