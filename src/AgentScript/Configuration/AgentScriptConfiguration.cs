using System.Globalization;
using AgentScript.Model;
using AgentScript.Queries;

namespace AgentScript.Configuration;

/// <summary>
/// Reads <see cref="AgentScriptOptions"/> from the environment and a <c>.env</c> file. The environment wins over the
/// file. Invalid values throw <see cref="ConfigurationException"/> naming the variable, the problem and the
/// accepted values (never the password).
/// </summary>
public static class AgentScriptConfiguration
{
    /// <summary>Selects the store: <c>sqlite</c>, <c>sqlite:&lt;path&gt;</c> or <c>arangodb</c>.</summary>
    public const string StoreVariable = "AGENTSCRIPT_STORE";

    /// <summary>Every variable the product reads.</summary>
    public static IReadOnlyList<string> Variables { get; } =
    [
        StoreVariable, "ARANGO_URL", "ARANGO_USERNAME", "ARANGO_PASSWORD", "ARANGO_DATABASE", "ARANGO_AUTH",
        "ARANGO_CA_CERT", "ARANGO_TIMEOUT", "ARANGO_NUMBER_OF_SHARDS", "ARANGO_REPLICATION_FACTOR",
        "ARANGO_WRITE_CONCERN", "LOG_BATCH_SIZE", "LOG_FLUSH_INTERVAL", "LOG_BUFFER_DIR", "LOG_MAX_BUFFER_SIZE_MB",
        "LOG_RETENTION_DAYS", "LOG_DURABILITY", "LOG_CONSOLE_LEVEL",
    ];

    /// <summary>
    /// Loads the settings.
    /// </summary>
    /// <param name="directory">Where to look for <c>.env</c> (and what relative paths are relative to); default the current directory.</param>
    /// <param name="environment">The environment to read; default the process environment. Tests pass a dictionary.</param>
    /// <exception cref="ConfigurationException">A value is invalid, or the <c>.env</c> file is malformed.</exception>
    public static AgentScriptOptions Load(string? directory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        directory = Path.GetFullPath(string.IsNullOrEmpty(directory) ? Directory.GetCurrentDirectory() : directory);
        environment ??= ProcessEnvironment();

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? envFile = null;
        var candidate = Path.Combine(directory, ".env");
        if (File.Exists(candidate))
        {
            string text;
            try
            {
                text = File.ReadAllText(candidate);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException(".env", $"Cannot read {candidate}: {e.Message.TrimEnd('.')}. Fix its permissions or remove it.");
            }
            foreach (var (k, v) in DotEnvFile.Parse(text, candidate))
            {
                values[k] = v;
            }
            envFile = candidate;
        }
        foreach (var (k, v) in environment)
        {
            // An empty variable counts as unset, so `LOG_BATCH_SIZE=` in a shell does not override .env.
            if (!string.IsNullOrEmpty(v))
            {
                values[k] = v;
            }
        }

        string? Get(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var dataDir = DefaultDataDirectory(environment);
        var defaultSqlite = Path.Combine(dataDir, "agentscript", "agentlog.db");

        var store = StoreKind.Sqlite;
        var sqlitePath = defaultSqlite;
        var selector = Get(StoreVariable);
        if (selector is not null)
        {
            if (selector.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
            {
                store = StoreKind.Sqlite;
            }
            else if (selector.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            {
                var path = selector["sqlite:".Length..].Trim();
                if (path.Length == 0)
                {
                    throw Invalid(StoreVariable, selector, "the path after 'sqlite:' is empty", "sqlite, sqlite:<path to a .db file>, arangodb");
                }
                sqlitePath = ResolvePath(path, directory, environment);
            }
            else if (selector.Equals("arangodb", StringComparison.OrdinalIgnoreCase) || selector.Equals("arango", StringComparison.OrdinalIgnoreCase))
            {
                store = StoreKind.ArangoDb;
            }
            else
            {
                throw Invalid(StoreVariable, selector, "not a known store", "sqlite, sqlite:<path to a .db file>, arangodb");
            }
        }
        else if (Get("ARANGO_URL") is not null)
        {
            store = StoreKind.ArangoDb;
        }

        var arango = new ArangoOptions();
        if (Get("ARANGO_URL") is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw Invalid("ARANGO_URL", url, "not an absolute http or https URL", "a URL such as http://localhost:8529");
            }
            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                // A password inside the URL would end up in messages; insist on ARANGO_USERNAME/ARANGO_PASSWORD.
                throw new ConfigurationException("ARANGO_URL", "Invalid ARANGO_URL: it contains user credentials. Put them in ARANGO_USERNAME and ARANGO_PASSWORD instead, and use a URL such as http://localhost:8529.");
            }
            arango = arango with { Url = uri };
        }
        if (Get("ARANGO_USERNAME") is { } user)
        {
            arango = arango with { Username = user };
        }
        if (values.TryGetValue("ARANGO_PASSWORD", out var password) && password.Length > 0)
        {
            arango = arango with { Password = password };
        }
        if (Get("ARANGO_DATABASE") is { } db)
        {
            if (!IsValidDatabaseName(db))
            {
                throw Invalid("ARANGO_DATABASE", db, "not a valid database name", "1-64 characters: letters, digits, _ and -, starting with a letter");
            }
            arango = arango with { Database = db };
        }
        if (Get("ARANGO_AUTH") is { } auth)
        {
            arango = auth.ToLowerInvariant() switch
            {
                "basic" => arango with { UseJwt = false },
                "jwt" => arango with { UseJwt = true },
                _ => throw Invalid("ARANGO_AUTH", auth, "not a known authentication method", "basic, jwt"),
            };
        }
        if (Get("ARANGO_CA_CERT") is { } ca)
        {
            var caPath = ResolvePath(ca, directory, environment);
            if (store == StoreKind.ArangoDb && !File.Exists(caPath))
            {
                throw Invalid("ARANGO_CA_CERT", ca, $"the file {caPath} does not exist", "the path of a PEM file");
            }
            arango = arango with { CaCertificatePath = caPath };
        }
        if (Get("ARANGO_TIMEOUT") is { } timeout)
        {
            arango = arango with { RequestTimeout = ParseSeconds("ARANGO_TIMEOUT", timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)) };
        }
        if (Get("ARANGO_NUMBER_OF_SHARDS") is { } shards)
        {
            arango = arango with { NumberOfShards = ParseInt("ARANGO_NUMBER_OF_SHARDS", shards, 1, 1000) };
        }
        if (Get("ARANGO_REPLICATION_FACTOR") is { } rf)
        {
            arango = arango with { ReplicationFactor = ParseInt("ARANGO_REPLICATION_FACTOR", rf, 1, 10) };
        }
        if (Get("ARANGO_WRITE_CONCERN") is { } wc)
        {
            arango = arango with { WriteConcern = ParseInt("ARANGO_WRITE_CONCERN", wc, 1, 10) };
        }
        if (arango.WriteConcern > arango.ReplicationFactor)
        {
            throw new ConfigurationException("ARANGO_WRITE_CONCERN",
                $"Invalid ARANGO_WRITE_CONCERN '{arango.WriteConcern}': it is larger than ARANGO_REPLICATION_FACTOR ({arango.ReplicationFactor}). Accepted: 1 to the replication factor.");
        }

        var options = new AgentScriptOptions
        {
            Store = store,
            SqlitePath = sqlitePath,
            Arango = arango,
            BufferDirectory = store == StoreKind.Sqlite
                ? Path.Combine(Path.GetDirectoryName(sqlitePath) ?? directory, "buffer")
                : Path.Combine(dataDir, "agentscript", "buffer"),
            EnvFile = envFile,
        };
        if (Get("LOG_BATCH_SIZE") is { } batch)
        {
            options = options with { BatchSize = ParseInt("LOG_BATCH_SIZE", batch, 1, 100_000) };
        }
        if (Get("LOG_FLUSH_INTERVAL") is { } flush)
        {
            options = options with { FlushInterval = ParseSeconds("LOG_FLUSH_INTERVAL", flush, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)) };
        }
        if (Get("LOG_BUFFER_DIR") is { } bufferDir)
        {
            options = options with { BufferDirectory = ResolvePath(bufferDir, directory, environment) };
        }
        if (Get("LOG_MAX_BUFFER_SIZE_MB") is { } maxMb)
        {
            options = options with { MaxBufferSizeMb = ParseInt("LOG_MAX_BUFFER_SIZE_MB", maxMb, 1, 1_000_000) };
        }
        if (Get("LOG_RETENTION_DAYS") is { } days)
        {
            options = options with { RetentionDays = ParseInt("LOG_RETENTION_DAYS", days, 1, 36_500) };
        }
        if (Get("LOG_DURABILITY") is { } durability)
        {
            options = options with
            {
                Durability = durability.ToLowerInvariant() switch
                {
                    "batched" or "batch" => Durability.Batched,
                    "sync" or "synchronous" => Durability.Synchronous,
                    _ => throw Invalid("LOG_DURABILITY", durability, "not a known durability mode", "batched, sync"),
                },
            };
        }
        if (Get("LOG_CONSOLE_LEVEL") is { } level)
        {
            if (level.Equals("NONE", StringComparison.OrdinalIgnoreCase) || level.Equals("OFF", StringComparison.OrdinalIgnoreCase))
            {
                options = options with { ConsoleLevel = "NONE" };
            }
            else if (LogLevels.Rank(level) < 0)
            {
                throw Invalid("LOG_CONSOLE_LEVEL", level, "not a known level", string.Join(", ", LogLevels.All) + ", NONE");
            }
            else
            {
                options = options with { ConsoleLevel = LogLevels.Normalize(level) };
            }
        }
        return options;
    }

    /// <summary>
    /// The user's data directory as the process described by <paramref name="environment"/> sees it:
    /// <c>XDG_DATA_HOME</c> when set to an absolute path, else <c>$HOME/.local/share</c> on Linux,
    /// <c>$HOME/Library/Application Support</c> on macOS, <c>%LOCALAPPDATA%</c> on Windows.
    /// </summary>
    public static string DefaultDataDirectory(IReadOnlyDictionary<string, string?>? environment = null)
    {
        environment ??= ProcessEnvironment();
        string? Env(string name) => environment.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;

        if (OperatingSystem.IsWindows())
        {
            return Env("LOCALAPPDATA") ?? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        }
        // The XDG spec says relative values are invalid and must be ignored.
        if (Env("XDG_DATA_HOME") is { } xdg && Path.IsPathRooted(xdg) && !OperatingSystem.IsMacOS())
        {
            return xdg;
        }
        if (Env("HOME") is { } home)
        {
            return OperatingSystem.IsMacOS()
                ? Path.Combine(home, "Library", "Application Support")
                : Path.Combine(home, ".local", "share");
        }
        var fallback = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return string.IsNullOrEmpty(fallback) ? Path.GetTempPath() : fallback;
    }

    internal static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            result[(string)e.Key] = e.Value as string;
        }
        return result;
    }

    private static string ResolvePath(string path, string baseDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        if ((path == "~" || path.StartsWith("~/", StringComparison.Ordinal)) && environment.TryGetValue("HOME", out var home) && !string.IsNullOrEmpty(home))
        {
            path = Path.Combine(home, path.Length > 2 ? path[2..] : "");
        }
        return Path.GetFullPath(path, baseDirectory);
    }

    private static int ParseInt(string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw Invalid(name, text, "not a whole number", $"a whole number from {min} to {max}");
        }
        if (value < min || value > max)
        {
            throw Invalid(name, text, "out of range", $"a whole number from {min} to {max}");
        }
        return value;
    }

    private static TimeSpan ParseSeconds(string name, string text, TimeSpan min, TimeSpan max)
    {
        TimeSpan value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            if (seconds * 1000 > max.TotalMilliseconds || seconds * 1000 < min.TotalMilliseconds)
            {
                throw Invalid(name, text, "out of range", $"seconds from {min.TotalSeconds} to {max.TotalSeconds} (such as 2 or 0.5), or a duration such as 500ms or 2s");
            }
            value = TimeSpan.FromSeconds(seconds);
        }
        else if (!DurationParser.TryParse(text, out value))
        {
            throw Invalid(name, text, "not a number of seconds", "seconds (such as 2 or 0.5) or a duration such as 500ms, 2s or 1m");
        }
        if (value < min || value > max)
        {
            throw Invalid(name, text, "out of range", $"seconds from {min.TotalSeconds} to {max.TotalSeconds}");
        }
        return value;
    }

    private static bool IsValidDatabaseName(string name)
    {
        if (name.Length is 0 or > 64 || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-')
            {
                return false;
            }
        }
        return true;
    }

    private static ConfigurationException Invalid(string name, string value, string problem, string accepted)
    {
        // Values are echoed to help the user, but a value of ARANGO_PASSWORD never reaches this method.
        var shown = value.Length > 200 ? value[..200] + "…" : value;
        return new ConfigurationException(name, $"Invalid {name} '{shown}': {problem}. Accepted: {accepted}.");
    }
}
