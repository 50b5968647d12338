using AgentScript.Configuration;
using AgentScript.Tests.Storage;

namespace AgentScript.Tests.Configuration;

public sealed class AgentScriptConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string?> Env(params (string Key, string? Value)[] values)
    {
        var env = new Dictionary<string, string?> { ["HOME"] = Path.Combine(_dir.Path, "home") };
        foreach (var (k, v) in values)
        {
            env[k] = v;
        }
        return env;
    }

    [Fact]
    public void Defaults_use_sqlite_under_the_users_data_directory()
    {
        var options = AgentScriptConfiguration.Load(_dir.Path, Env());

        Assert.Equal(StoreKind.Sqlite, options.Store);
        if (!OperatingSystem.IsWindows() && !OperatingSystem.IsMacOS())
        {
            Assert.Equal(Path.Combine(_dir.Path, "home", ".local", "share", "agentscript", "agentlog.db"), options.SqlitePath);
        }
        Assert.Equal(Path.Combine(Path.GetDirectoryName(options.SqlitePath)!, "buffer"), options.BufferDirectory);
        Assert.Equal(200, options.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(2), options.FlushInterval);
        Assert.Equal(1000, options.MaxBufferSizeMb);
        Assert.Equal(30, options.RetentionDays);
        Assert.Equal(Durability.Batched, options.Durability);
        Assert.Equal("INFO", options.ConsoleLevel);
        Assert.Null(options.EnvFile);
    }

    [Fact]
    public void Xdg_data_home_from_the_given_environment_is_honoured()
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS())
        {
            Assert.Skip("XDG_DATA_HOME applies on Linux and other Unix systems only.");
        }
        var xdg = Path.Combine(_dir.Path, "xdg");
        var options = AgentScriptConfiguration.Load(_dir.Path, Env(("XDG_DATA_HOME", xdg)));

        Assert.Equal(Path.Combine(xdg, "agentscript", "agentlog.db"), options.SqlitePath);
        Assert.Equal(Path.Combine(xdg, "agentscript", "buffer"), options.BufferDirectory);
    }

    [Fact]
    public void Relative_xdg_data_home_is_ignored_as_the_spec_says()
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS())
        {
            Assert.Skip("XDG_DATA_HOME applies on Linux and other Unix systems only.");
        }
        var options = AgentScriptConfiguration.Load(_dir.Path, Env(("XDG_DATA_HOME", "relative/dir")));
        Assert.StartsWith(Path.Combine(_dir.Path, "home", ".local", "share"), options.SqlitePath);
    }

    [Fact]
    public void Dotenv_is_read_and_the_environment_wins()
    {
        File.WriteAllText(Path.Combine(_dir.Path, ".env"), """
            # comment
            export LOG_BATCH_SIZE=50
            LOG_FLUSH_INTERVAL=0.5   # seconds
            LOG_DURABILITY='sync'
            LOG_CONSOLE_LEVEL="warning"
            AGENTSCRIPT_STORE=sqlite:data/logs.db
            """);
        var options = AgentScriptConfiguration.Load(_dir.Path, Env(("LOG_BATCH_SIZE", "75")));

        Assert.Equal(75, options.BatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.FlushInterval);
        Assert.Equal(Durability.Synchronous, options.Durability);
        Assert.Equal("WARNING", options.ConsoleLevel);
        Assert.Equal(Path.Combine(_dir.Path, "data", "logs.db"), options.SqlitePath);
        Assert.Equal(Path.Combine(_dir.Path, ".env"), options.EnvFile);
    }

    [Fact]
    public void Dotenv_values_do_not_leak_into_the_process_environment()
    {
        var name = "AGENTSCRIPT_TEST_ONLY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        File.WriteAllText(Path.Combine(_dir.Path, ".env"), $"{name}=1\nLOG_BATCH_SIZE=7\n");
        var options = AgentScriptConfiguration.Load(_dir.Path, Env());
        Assert.Equal(7, options.BatchSize);
        Assert.Null(Environment.GetEnvironmentVariable(name));
    }

    [Fact]
    public void Dotenv_double_quotes_support_escapes_and_several_lines()
    {
        var values = DotEnvFile.Parse("A=\"one\\ntwo\"\nB=\"x\ny\" # c\nC=plain value # comment\nD=\nE='a # not a comment'\n", ".env");
        Assert.Equal("one\ntwo", values["A"]);
        Assert.Equal("x\ny", values["B"]);
        Assert.Equal("plain value", values["C"]);
        Assert.Equal("", values["D"]);
        Assert.Equal("a # not a comment", values["E"]);
    }

    [Theory]
    [InlineData("JUST TEXT")]
    [InlineData("1KEY=v")]
    [InlineData("KEY=\"unterminated")]
    [InlineData("KEY='x' trailing")]
    public void Malformed_dotenv_names_file_and_line(string line)
    {
        File.WriteAllText(Path.Combine(_dir.Path, ".env"), "# first\n" + line + "\n");
        var e = Assert.Throws<ConfigurationException>(() => AgentScriptConfiguration.Load(_dir.Path, Env()));
        Assert.Contains(".env", e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void Arango_url_selects_arangodb_unless_the_selector_says_sqlite()
    {
        var arango = AgentScriptConfiguration.Load(_dir.Path, Env(("ARANGO_URL", "https://db.example:8530"), ("ARANGO_DATABASE", "logs_2"), ("ARANGO_AUTH", "jwt"),
            ("ARANGO_NUMBER_OF_SHARDS", "3"), ("ARANGO_REPLICATION_FACTOR", "2"), ("ARANGO_WRITE_CONCERN", "2"), ("ARANGO_TIMEOUT", "5")));
        Assert.Equal(StoreKind.ArangoDb, arango.Store);
        Assert.Equal(new Uri("https://db.example:8530"), arango.Arango.Url);
        Assert.Equal("logs_2", arango.Arango.Database);
        Assert.True(arango.Arango.UseJwt);
        Assert.Equal(3, arango.Arango.NumberOfShards);
        Assert.Equal(2, arango.Arango.ReplicationFactor);
        Assert.Equal(2, arango.Arango.WriteConcern);
        Assert.Equal(TimeSpan.FromSeconds(5), arango.Arango.RequestTimeout);

        var sqlite = AgentScriptConfiguration.Load(_dir.Path, Env(("ARANGO_URL", "http://localhost:8529"), ("AGENTSCRIPT_STORE", "sqlite")));
        Assert.Equal(StoreKind.Sqlite, sqlite.Store);

        var selected = AgentScriptConfiguration.Load(_dir.Path, Env(("AGENTSCRIPT_STORE", "arangodb")));
        Assert.Equal(StoreKind.ArangoDb, selected.Store);
        Assert.Equal(new Uri("http://localhost:8529"), selected.Arango.Url);
    }

    [Theory]
    [InlineData("AGENTSCRIPT_STORE", "postgres", "sqlite:<path")]
    [InlineData("AGENTSCRIPT_STORE", "sqlite:", "sqlite:<path")]
    [InlineData("LOG_BATCH_SIZE", "abc", "whole number")]
    [InlineData("LOG_BATCH_SIZE", "0", "1 to 100000")]
    [InlineData("LOG_FLUSH_INTERVAL", "soon", "seconds")]
    [InlineData("LOG_FLUSH_INTERVAL", "-1", "seconds")]
    [InlineData("LOG_MAX_BUFFER_SIZE_MB", "1.5", "whole number")]
    [InlineData("LOG_RETENTION_DAYS", "0", "1 to 36500")]
    [InlineData("LOG_DURABILITY", "always", "batched, sync")]
    [InlineData("LOG_CONSOLE_LEVEL", "LOUD", "TRACE, DEBUG, INFO")]
    [InlineData("ARANGO_URL", "localhost:8529", "http://localhost:8529")]
    [InlineData("ARANGO_AUTH", "kerberos", "basic, jwt")]
    [InlineData("ARANGO_DATABASE", "1bad name", "letters")]
    [InlineData("ARANGO_NUMBER_OF_SHARDS", "many", "whole number")]
    [InlineData("ARANGO_WRITE_CONCERN", "2", "replication factor")]
    public void Invalid_values_name_the_variable_the_value_and_what_is_accepted(string variable, string value, string accepted)
    {
        var e = Assert.Throws<ConfigurationException>(() => AgentScriptConfiguration.Load(_dir.Path, Env((variable, value))));
        Assert.Equal(variable, e.Variable);
        Assert.Contains(variable, e.Message);
        Assert.Contains($"'{value}'", e.Message);
        Assert.Contains(accepted, e.Message);
    }

    [Fact]
    public void The_password_never_appears_in_messages()
    {
        const string password = "Hunter2-very-secret";
        var env = Env(("ARANGO_PASSWORD", password), ("ARANGO_URL", "http://localhost:8529"));
        var options = AgentScriptConfiguration.Load(_dir.Path, env);
        Assert.Equal(password, options.Arango.Password);
        Assert.DoesNotContain(password, options.DescribeStore());
        Assert.DoesNotContain(password, options.Arango.ToString());

        env["LOG_BATCH_SIZE"] = "x";
        var e = Assert.Throws<ConfigurationException>(() => AgentScriptConfiguration.Load(_dir.Path, env));
        Assert.DoesNotContain(password, e.Message);

        var inUrl = Assert.Throws<ConfigurationException>(() => AgentScriptConfiguration.Load(_dir.Path, Env(("ARANGO_URL", $"http://root:{password}@localhost:8529"))));
        Assert.DoesNotContain(password, inUrl.Message);

        File.WriteAllText(Path.Combine(_dir.Path, ".env"), $"ARANGO_PASSWORD=\"{password}\n");
        var dotenv = Assert.Throws<ConfigurationException>(() => AgentScriptConfiguration.Load(_dir.Path, Env()));
        Assert.DoesNotContain(password, dotenv.Message);
    }

    [Fact]
    public void Empty_environment_values_count_as_unset()
    {
        File.WriteAllText(Path.Combine(_dir.Path, ".env"), "LOG_BATCH_SIZE=33\n");
        var options = AgentScriptConfiguration.Load(_dir.Path, Env(("LOG_BATCH_SIZE", "")));
        Assert.Equal(33, options.BatchSize);
    }

    [Fact]
    public void Buffer_dir_and_sqlite_path_accept_home_relative_paths()
    {
        var options = AgentScriptConfiguration.Load(_dir.Path, Env(("LOG_BUFFER_DIR", "~/buf"), ("AGENTSCRIPT_STORE", "sqlite:~/x.db")));
        Assert.Equal(Path.Combine(_dir.Path, "home", "buf"), options.BufferDirectory);
        Assert.Equal(Path.Combine(_dir.Path, "home", "x.db"), options.SqlitePath);
    }
}
