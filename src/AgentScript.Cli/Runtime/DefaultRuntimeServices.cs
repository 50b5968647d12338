using System.Globalization;
using AgentScript.Configuration;
using AgentScript.Cli.Infrastructure;
using AgentScript.Storage;

namespace AgentScript.Cli.Runtime;

/// <summary>
/// The runtime pieces the CLI uses. Interim: a minimal reading of the configuration variables (DESIGN.md names)
/// until the runtime's <c>AgentScriptConfiguration</c> and <c>AgentLogStores</c> are available to the CLI.
/// </summary>
internal sealed class DefaultRuntimeServices : IRuntimeServices
{
    /// <summary>The shared instance.</summary>
    public static DefaultRuntimeServices Instance { get; } = new();

    /// <summary>Opens a store for options; replaced by tests or by the runtime's factory.</summary>
    public static Func<AgentScriptOptions, IAgentLogStore>? StoreFactory { get; set; }

    /// <inheritdoc/>
    public AgentScriptOptions LoadOptions(IReadOnlyDictionary<string, string?> environment, string directory)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? envFile = null;
        var candidate = Path.Combine(directory, ".env");
        if (File.Exists(candidate))
        {
            envFile = candidate;
            foreach (var line in File.ReadLines(candidate))
            {
                var t = line.Trim();
                if (t.Length == 0 || t[0] == '#')
                {
                    continue;
                }
                if (t.StartsWith("export ", StringComparison.Ordinal))
                {
                    t = t[7..].TrimStart();
                }
                var eq = t.IndexOf('=');
                if (eq <= 0)
                {
                    continue;
                }
                var v = t[(eq + 1)..].Trim();
                if (v.Length >= 2 && (v[0] == '"' && v[^1] == '"' || v[0] == '\'' && v[^1] == '\''))
                {
                    v = v[1..^1];
                }
                values[t[..eq].Trim()] = v;
            }
        }
        foreach (var (k, v) in environment)
        {
            if (v is not null)
            {
                values[k] = v; // the environment wins over .env
            }
        }
        string? Get(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var dataHome = Get("XDG_DATA_HOME")
            ?? Path.Combine(Get("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        var sqlitePath = Path.Combine(dataHome, "agentscript", "agentlog.db");
        var store = StoreKind.Sqlite;
        var selector = Get("AGENTSCRIPT_STORE");
        if (selector is not null)
        {
            if (selector.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            {
                var p = selector[7..];
                if (p.Length > 0)
                {
                    sqlitePath = Path.GetFullPath(p, directory);
                }
            }
            else if (selector.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
            {
            }
            else if (selector.Equals("arangodb", StringComparison.OrdinalIgnoreCase) || selector.Equals("arango", StringComparison.OrdinalIgnoreCase))
            {
                store = StoreKind.ArangoDb;
            }
            else
            {
                throw CliException.Usage($"Invalid AGENTSCRIPT_STORE '{selector}'. Use sqlite:<path>, sqlite or arangodb.");
            }
        }
        else if (Get("ARANGO_URL") is not null)
        {
            store = StoreKind.ArangoDb;
        }

        var arango = new ArangoOptions();
        if (Get("ARANGO_URL") is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                throw CliException.Usage($"Invalid ARANGO_URL '{url}'. Use an absolute URL such as http://localhost:8529.");
            }
            arango = arango with { Url = uri };
        }
        arango = arango with
        {
            Username = Get("ARANGO_USERNAME") ?? arango.Username,
            Password = Get("ARANGO_PASSWORD") ?? arango.Password,
            Database = Get("ARANGO_DATABASE") ?? arango.Database,
        };

        int Int(string name, int fallback) =>
            Get(name) is { } s
                ? int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw CliException.Usage($"Invalid {name} '{s}'. Use a positive whole number.")
                : fallback;

        var flush = TimeSpan.FromSeconds(2);
        if (Get("LOG_FLUSH_INTERVAL") is { } f)
        {
            flush = double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs) && secs > 0
                ? TimeSpan.FromSeconds(secs)
                : CliParsing.Duration(f, "LOG_FLUSH_INTERVAL");
        }

        return new AgentScriptOptions
        {
            Store = store,
            SqlitePath = sqlitePath,
            Arango = arango,
            BatchSize = Int("LOG_BATCH_SIZE", 200),
            FlushInterval = flush,
            BufferDirectory = Get("LOG_BUFFER_DIR") is { } b
                ? Path.GetFullPath(b, directory)
                : Path.Combine(Path.GetDirectoryName(sqlitePath) ?? directory, "buffer"),
            MaxBufferSizeMb = Int("LOG_MAX_BUFFER_SIZE_MB", 1000),
            RetentionDays = Int("LOG_RETENTION_DAYS", 30),
            Durability = Get("LOG_DURABILITY")?.ToLowerInvariant() switch
            {
                null or "batched" => Durability.Batched,
                "sync" or "synchronous" => Durability.Synchronous,
                var other => throw CliException.Usage($"Invalid LOG_DURABILITY '{other}'. Use batched or sync."),
            },
            ConsoleLevel = Get("LOG_CONSOLE_LEVEL") is { } cl ? CliParsing.Level(cl)! : "INFO",
            EnvFile = envFile,
        };
    }

    /// <inheritdoc/>
    public IAgentLogStore OpenStore(AgentScriptOptions options)
    {
        if (StoreFactory is { } factory)
        {
            return factory(options);
        }
        throw new StoreUnavailableException(
            $"No store implementation for {options.DescribeStore()} is available in this build of agentlog.");
    }

    /// <inheritdoc/>
    public BufferStatus GetBufferStatus(AgentScriptOptions options)
    {
        var dir = options.BufferDirectory;
        if (!Directory.Exists(dir))
        {
            return new BufferStatus(dir, false, 0, 0, null, 0, null);
        }
        long files = 0, bytes = 0, dead = 0;
        foreach (var file in new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (file.Name.Contains("dead", StringComparison.OrdinalIgnoreCase))
            {
                dead++;
            }
            else
            {
                files++;
                bytes += file.Length;
            }
        }
        return new BufferStatus(dir, true, files, bytes, null, dead, null);
    }

    /// <inheritdoc/>
    public Task<FlushOutcome?> FlushAsync(AgentScriptOptions options, IAgentLogStore store, CancellationToken cancellationToken) =>
        Task.FromResult<FlushOutcome?>(null);
}
