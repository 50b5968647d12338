using System.Globalization;
using System.Text.Json;
using Serilog.Events;

namespace AgentScript.Benchmarks.Regression;

/// <summary>One call of the ingest pool.</summary>
public readonly record struct PooledCall(LogEventLevel Level, Exception? Exception, string Template, object?[] Values);

/// <summary>
/// Reads the ingest benchmark's call pool (written by the benchmarks' <c>CallPool</c>: one JSON object a line with
/// Serilog's level name, template, value kinds and values, and an optional exception).
/// </summary>
public static class PoolFile
{
    private sealed record Line(string L, string T, string[] K, string[] V, LineException? X);

    private sealed record LineException(string Type, string Message, string? StackTrace);

    private sealed class PooledException(LineException info) : Exception(info.Message)
    {
        public override string ToString() => info.StackTrace ?? $"{info.Type}: {info.Message}";
    }

    public static PooledCall[] Read(string path) => File.ReadLines(path).Select(text =>
    {
        var line = JsonSerializer.Deserialize<Line>(text) ?? throw new InvalidDataException($"empty line in {path}");
        var values = new object?[line.V.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = line.K[i] switch
            {
                "i" => int.Parse(line.V[i], CultureInfo.InvariantCulture),
                "d" => double.Parse(line.V[i], CultureInfo.InvariantCulture),
                _ => line.V[i],
            };
        }
        return new PooledCall(Enum.Parse<LogEventLevel>(line.L), line.X is null ? null : new PooledException(line.X), line.T, values);
    }).ToArray();
}
