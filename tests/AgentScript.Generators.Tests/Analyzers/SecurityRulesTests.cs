using AgentScript.CodeFixes;
using AgentScript.Generators.Analyzers;

namespace AgentScript.Generators.Tests.Analyzers;

/// <summary>AGS009 (hard-coded secrets) and AGS012 (query text built from values).</summary>
public class SecurityRulesTests
{
    [Fact]
    public Task AGS009_literal_secrets_are_reported() => AnalyzerVerifier.AnalyzeAsync<HardCodedSecretAnalyzer>("""
        class Options { public string? ApiKey { get; set; } public string? Name { get; set; } }
        class Client { public Client(string endpoint, string token) { } }
        class Script
        {
            const string ArangoPassword = {|AGS009:"openSesame"|};
            string secret = {|AGS009:"s3cr3t"|};
            string AccessToken { get; } = {|AGS009:"abc123"|};
            void Connect(string user, string password = {|AGS009:"hunter2"|}) { }
            void Run()
            {
                var api_key = {|AGS009:"sk-123"|};
                string pwd;
                pwd = {|AGS009:"letmein"|};
                var options = new Options { ApiKey = {|AGS009:"k-1"|}, Name = "fine" };
                var client = new Client("https://example.org", {|AGS009:"tok-1"|});
                Connect("root", password: {|AGS009:"root-pw"|});
                var connection = {|AGS009:"Data Source=db;User Id=sa;Password=Pa55w0rd;"|};
                var other = {|AGS009:"Server=x;pwd=abc"|};
            }
        }
        """);

    [Fact]
    public async Task AGS009_a_token_format_is_a_secret_whatever_it_is_called()
    {
        // The names here say nothing (Key, Endpoint, a dictionary entry): the value's format does.
        var diagnostics = await AnalyzerVerifier.DiagnosticsAsync<HardCodedSecretAnalyzer>("""
            using System.Collections.Generic;
            class Script
            {
                const string Key = "sk-live-1234567890abcdefghijkl";
                static readonly Dictionary<string, string> Settings = new() { ["apiKey"] = "ghp_abcdefghijklmnopqrstuvwxyz0123456789" };
                void Run()
                {
                    Use("AKIAABCDEFGHIJKLMNOP");
                    Use("a sentence about sk-learn and ghp_ prefixes");
                }
                void Use(string value) { }
            }
            """);
        Assert.Equal([4, 5, 8], diagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).Order());
        Assert.All(diagnostics, d => Assert.StartsWith("This string literal has the format of an access token", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public Task AGS009_positional_arguments_are_checked_only_for_one_token_literals() => AnalyzerVerifier.AnalyzeAsync<HardCodedSecretAnalyzer>("""
        class Client { public Client(string endpoint, string token) { } }
        class Script
        {
            void Connect(string user, string password) { }
            void Run()
            {
                // One token: taken for a credential, the parameter's name is checked.
                var a = new Client("https://example.org", {|AGS009:"tok-1"|});
                Connect("root", {|AGS009:"p4ss"|});
                // Text with spaces or template holes is a message, not a credential, unless the argument is named.
                var b = new Client("https://example.org", "not a token");
                Connect("root", "Hello {Name}");
                Connect("root", password: {|AGS009:"two words"|});
            }
        }
        """);

    [Fact]
    public Task AGS009_look_alikes_are_fine() => AnalyzerVerifier.AnalyzeAsync<HardCodedSecretAnalyzer>("""
        using System;
        class Script
        {
            const string PasswordVariable = "ARANGO_PASSWORD";
            const string ArangoPasswordName = "ARANGO_PASSWORD";
            string password = Environment.GetEnvironmentVariable("ARANGO_PASSWORD") ?? "";
            string token = "";
            string TokenType { get; } = "Bearer";
            int tokenCount = 3;
            void Run(string pw)
            {
                var passwordHint = "your first pet";
                var secret = pw;
                var apiKey = ARANGO_API_KEY;
                var connection = $"Data Source=db;Password={pw}";
                var empty = "Data Source=db;Password=;";
                var text = "Enter your password: ";
            }
            const string ARANGO_API_KEY = "ARANGO_API_KEY";
        }
        """);

    [Fact]
    public Task AGS012_built_query_text_is_reported() => AnalyzerVerifier.AnalyzeAsync<QueryTextAnalyzer>("""
        using System.Threading.Tasks;
        using AgentScript;
        using AgentScript.Storage;
        using Microsoft.Data.Sqlite;
        class Script
        {
            async Task Run(IAgentLogStore store, SqliteConnection connection, string level, int limit)
            {
                await AgentLog.QueryAsync({|AGS012:$"SELECT * FROM log_events WHERE level = '{level}'"|});
                await AgentLog.QueryAsync({|AGS012:"FOR e IN log_events FILTER e.level == '" + level + "' RETURN e"|});
                await store.QueryAsync({|AGS012:$"SELECT * FROM script_runs LIMIT {limit}"|});
                using var command = connection.CreateCommand();
                command.CommandText = {|AGS012:"DELETE FROM t WHERE id = " + limit|};
                using var other = new SqliteCommand({|AGS012:$"SELECT {limit}"|}, connection);
            }
        }
        """);

    [Fact]
    public Task AGS012_bound_or_constant_query_text_is_fine() => AnalyzerVerifier.AnalyzeAsync<QueryTextAnalyzer>("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using AgentScript;
        using AgentScript.Storage;
        using Microsoft.Data.Sqlite;
        class Script
        {
            const string Table = "log_events";
            async Task Run(IAgentLogStore store, SqliteConnection connection, string level, string query)
            {
                await AgentLog.QueryAsync("SELECT * FROM log_events WHERE level = @level", new Dictionary<string, object?> { ["level"] = level });
                await AgentLog.QueryAsync("SELECT * FROM " + Table);
                await store.QueryAsync(query);
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM {Table}";
                command.Parameters.AddWithValue("@level", level);
                var label = $"level {level}";
                Search($"text {level}");
            }
            void Search(string text) { }
        }
        """);

    [Fact]
    public Task AGS012_fix_turns_holes_into_bind_parameters_and_fixes_all() => AnalyzerVerifier.FixAsync<QueryTextAnalyzer, QueryTextCodeFix>("""
        #nullable enable
        using System.Threading;
        using System.Threading.Tasks;
        using AgentScript;
        using AgentScript.Storage;
        class Script
        {
            async Task Run(IAgentLogStore store, string level, int limit, CancellationToken token)
            {
                await AgentLog.QueryAsync({|AGS012:$"SELECT * FROM log_events WHERE level = {level} LIMIT {limit}"|});
                await store.QueryAsync({|AGS012:"FOR e IN log_events FILTER e.level == " + level + " RETURN e"|}, cancellationToken: token);
            }
        }
        """, """
        #nullable enable
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using AgentScript;
        using AgentScript.Storage;
        class Script
        {
            async Task Run(IAgentLogStore store, string level, int limit, CancellationToken token)
            {
                await AgentLog.QueryAsync("SELECT * FROM log_events WHERE level = @p0 LIMIT @p1", parameters: new Dictionary<string, object?> { ["p0"] = level, ["p1"] = limit });
                await store.QueryAsync("FOR e IN log_events FILTER e.level == @p0 RETURN e", parameters: new Dictionary<string, object?> { ["p0"] = level }, cancellationToken: token);
            }
        }
        """);

    [Fact]
    public Task AGS012_no_fix_for_CommandText_or_formatted_holes() => AnalyzerVerifier.FixAsync<QueryTextAnalyzer, QueryTextCodeFix>("""
        using AgentScript;
        using Microsoft.Data.Sqlite;
        class Script
        {
            void Run(SqliteCommand command, double x)
            {
                command.CommandText = {|AGS012:$"SELECT {x}"|};
                _ = AgentLog.QueryAsync({|AGS012:$"SELECT {x:F2}"|});
            }
        }
        """, """
        using AgentScript;
        using Microsoft.Data.Sqlite;
        class Script
        {
            void Run(SqliteCommand command, double x)
            {
                command.CommandText = {|AGS012:$"SELECT {x}"|};
                _ = AgentLog.QueryAsync({|AGS012:$"SELECT {x:F2}"|});
            }
        }
        """);

    [Fact]
    public Task AGS012_fix_takes_the_quotes_around_a_spliced_value_with_it() => AnalyzerVerifier.FixAsync<QueryTextAnalyzer, QueryTextCodeFix>("""
        #nullable enable
        using AgentScript;
        class Script
        {
            void Run(string id, string level)
            {
                AgentLog.QueryAsync({|AGS012:"SELECT count(*) FROM log_events WHERE execution_id = '" + id + "'"|});
                AgentLog.QueryAsync({|AGS012:$"FOR e IN log_events FILTER e.level == \"{level}\" AND e.message != 'it''s' RETURN e"|});
            }
        }
        """, """
        #nullable enable
        using System.Collections.Generic;
        using AgentScript;
        class Script
        {
            void Run(string id, string level)
            {
                AgentLog.QueryAsync("SELECT count(*) FROM log_events WHERE execution_id = @p0", parameters: new Dictionary<string, object?> { ["p0"] = id });
                AgentLog.QueryAsync("FOR e IN log_events FILTER e.level == @p0 AND e.message != 'it''s' RETURN e", parameters: new Dictionary<string, object?> { ["p0"] = level });
            }
        }
        """);

    [Fact]
    public Task AGS012_no_fix_where_the_value_is_only_part_of_a_quoted_literal() => AnalyzerVerifier.FixAsync<QueryTextAnalyzer, QueryTextCodeFix>("""
        using AgentScript;
        class Script
        {
            void Run(string text, string id)
            {
                AgentLog.QueryAsync({|AGS012:"SELECT * FROM log_events WHERE message LIKE '%" + text + "%'"|});
                AgentLog.QueryAsync({|AGS012:$"SELECT * FROM t WHERE id = 'run-{id}'"|});
                AgentLog.QueryAsync({|AGS012:$"SELECT * FROM t WHERE a = '{id}{text}'"|});
            }
        }
        """, """
        using AgentScript;
        class Script
        {
            void Run(string text, string id)
            {
                AgentLog.QueryAsync({|AGS012:"SELECT * FROM log_events WHERE message LIKE '%" + text + "%'"|});
                AgentLog.QueryAsync({|AGS012:$"SELECT * FROM t WHERE id = 'run-{id}'"|});
                AgentLog.QueryAsync({|AGS012:$"SELECT * FROM t WHERE a = '{id}{text}'"|});
            }
        }
        """);

    [Fact]
    public Task AGS012_query_text_built_in_a_local_variable_is_reported_without_a_fix() => AnalyzerVerifier.FixAsync<QueryTextAnalyzer, QueryTextCodeFix>("""
        using AgentScript;
        using Microsoft.Data.Sqlite;
        class Script
        {
            void Run(SqliteConnection connection, string id)
            {
                var sql = "SELECT * FROM log_events WHERE execution_id = '" + id + "'";
                AgentLog.QueryAsync({|AGS012:sql|});
                using var command = connection.CreateCommand();
                command.CommandText = {|AGS012:sql|};
                const string fixedText = "SELECT 1";
                var plain = "SELECT 2";
                AgentLog.QueryAsync(fixedText);
                AgentLog.QueryAsync(plain);
            }
        }
        """, """
        using AgentScript;
        using Microsoft.Data.Sqlite;
        class Script
        {
            void Run(SqliteConnection connection, string id)
            {
                var sql = "SELECT * FROM log_events WHERE execution_id = '" + id + "'";
                AgentLog.QueryAsync({|AGS012:sql|});
                using var command = connection.CreateCommand();
                command.CommandText = {|AGS012:sql|};
                const string fixedText = "SELECT 1";
                var plain = "SELECT 2";
                AgentLog.QueryAsync(fixedText);
                AgentLog.QueryAsync(plain);
            }
        }
        """);
}
