using AgentScript.Cli.Commands;
using AgentScript.Cli.Infrastructure;
using AgentScript.Cli.Output;

namespace AgentScript.Cli.Tests;

/// <summary>Option parsing and output helpers.</summary>
public sealed class ParsingTests
{
    [Fact]
    public void Times_accept_durations_back_from_now_and_iso_8601()
    {
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddHours(-2), CliParsing.Time("2h", "--since", now));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero), CliParsing.Time("2026-11-20T08:30:00", "--since", now));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 7, 30, 0, TimeSpan.Zero), CliParsing.Time("2026-11-20T08:30:00+01:00", "--since", now));
        Assert.Null(CliParsing.Time(" ", "--since", now));
        var e = Assert.Throws<CliException>(() => CliParsing.Time("yesterday", "--until", now));
        Assert.Equal(CliExitCodes.Usage, e.ExitCode);
        Assert.Contains("--until", e.Message);
    }

    [Fact]
    public void Parameters_are_typed_like_json_literals()
    {
        Assert.Equal(new KeyValuePair<string, object?>("n", 10L), CliParsing.Parameter("n=10"));
        Assert.Equal(1.5, CliParsing.Parameter("x=1.5").Value);
        Assert.Equal(true, CliParsing.Parameter("b=true").Value);
        Assert.Null(CliParsing.Parameter("z=null").Value);
        Assert.Equal("0123", CliParsing.Parameter("s='0123'").Value);
        Assert.Equal("a=b", CliParsing.Parameter("s=a=b").Value);
        Assert.Equal("hello world", CliParsing.Parameter("@s=hello world").Value);
        Assert.Equal("s", CliParsing.Parameter("@s=x").Key);
        Assert.Equal("NaN", CliParsing.Parameter("s=NaN").Value);
        Assert.Throws<CliException>(() => CliParsing.Parameter("=1"));
        Assert.Throws<CliException>(() => CliParsing.Parameter("novalue"));
    }

    [Fact]
    public void Levels_and_confidence_are_validated()
    {
        Assert.Equal("WARNING", CliParsing.Level("warn"));
        Assert.Equal("CRITICAL", CliParsing.Level("Fatal"));
        Assert.Throws<CliException>(() => CliParsing.Level("loud"));
        Assert.Throws<CliException>(() => CliParsing.Confidence(-0.1, "--confidence"));
        Assert.Equal(0.5, CliParsing.Confidence(0.5, "--confidence"));
    }

    [Fact]
    public void Csv_fields_are_quoted_when_needed()
    {
        Assert.Equal("plain", CsvWriter.Escape("plain"));
        Assert.Equal("\"a,b\"", CsvWriter.Escape("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", CsvWriter.Escape("say \"hi\""));
        Assert.Equal("\"two\nlines\"", CsvWriter.Escape("two\nlines"));
        Assert.Equal("", CsvWriter.Escape(null));
    }

    [Fact]
    public void Duplicate_query_columns_get_suffixes()
    {
        Assert.Equal(["id", "id_2", "name", "id_3"], QueryCommand.UniqueNames(["id", "id", "name", "id"]));
    }
}
