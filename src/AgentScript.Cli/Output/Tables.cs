using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AgentScript.Cli.Output;

/// <summary>Helpers for the human (table) output.</summary>
internal static class Tables
{
    /// <summary>A table with the given column headers.</summary>
    public static Table Create(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(c)));
        }
        return table;
    }

    /// <summary>Adds a row of plain text cells (no markup interpretation).</summary>
    public static void Row(this Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? "")).ToArray());

    /// <summary>A time for humans: UTC, to the millisecond.</summary>
    public static string Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A duration for humans.</summary>
    public static string Duration(double? ms) => ms switch
    {
        null => "",
        < 1000 => $"{ms.Value.ToString("0", CultureInfo.InvariantCulture)} ms",
        < 60_000 => $"{(ms.Value / 1000).ToString("0.0#", CultureInfo.InvariantCulture)} s",
        _ => TimeSpan.FromMilliseconds(ms.Value).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture),
    };

    /// <summary>A number for humans.</summary>
    public static string Number(double? value, string format = "0.##") =>
        value?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    /// <summary>Text cut to one line of at most <paramref name="max"/> characters.</summary>
    public static string OneLine(string? text, int max = 120)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
