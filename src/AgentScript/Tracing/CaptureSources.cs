// Job: parse which ActivitySources a run records (AGENTSCRIPT_CAPTURE_SOURCES).
namespace AgentScript.Tracing;

/// <summary>
/// Which other <c>ActivitySource</c>s a run records as spans: <c>all</c>, <c>none</c>, or a comma-separated list of
/// names (a trailing <c>*</c> matches a prefix). Default: HttpClient and Microsoft.Extensions.AI.
/// </summary>
internal sealed class CaptureSources
{
    /// <summary>The environment variable read.</summary>
    public const string EnvironmentVariable = "AGENTSCRIPT_CAPTURE_SOURCES";

    /// <summary>HttpClient's source.</summary>
    public const string HttpClient = "System.Net.Http";

    /// <summary>Microsoft.Extensions.AI's default source (<c>UseOpenTelemetry()</c> without a source name).</summary>
    public const string ExtensionsAI = "Experimental.Microsoft.Extensions.AI";

    private readonly bool _all;
    private readonly string[] _exact;
    private readonly string[] _prefixes;

    private CaptureSources(bool all, string[] exact, string[] prefixes)
    {
        _all = all;
        _exact = exact;
        _prefixes = prefixes;
    }

    /// <summary>The default: HttpClient and Microsoft.Extensions.AI (both its default and renamed sources).</summary>
    public static CaptureSources Default { get; } = new(false, [HttpClient, ExtensionsAI], ["Microsoft.Extensions.AI"]);

    /// <summary>True when nothing is recorded.</summary>
    public bool IsNone => !_all && _exact.Length == 0 && _prefixes.Length == 0;

    /// <summary>True when every source is recorded.</summary>
    public bool IsAll => _all;

    /// <summary>The names and prefixes (with <c>*</c>) as configured, for exporters that take source names.</summary>
    public IEnumerable<string> Names => _all ? ["*"] : _exact.Concat(_prefixes.Select(p => p + "*"));

    /// <summary>Parses the setting; null or blank means the default.</summary>
    public static CaptureSources Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Default;
        }
        var items = value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Any(i => i.Equals("all", StringComparison.OrdinalIgnoreCase) || i == "*"))
        {
            return new CaptureSources(true, [], []);
        }
        if (items.All(i => i.Equals("none", StringComparison.OrdinalIgnoreCase)))
        {
            return new CaptureSources(false, [], []);
        }
        var exact = items.Where(i => !i.EndsWith('*') && !i.Equals("none", StringComparison.OrdinalIgnoreCase)).ToArray();
        var prefixes = items.Where(i => i.EndsWith('*')).Select(i => i.TrimEnd('*')).ToArray();
        return new CaptureSources(false, exact, prefixes);
    }

    /// <summary>True when Activities of <paramref name="sourceName"/> are recorded.</summary>
    public bool Includes(string sourceName)
    {
        if (_all)
        {
            return true;
        }
        foreach (var name in _exact)
        {
            if (string.Equals(name, sourceName, StringComparison.Ordinal))
            {
                return true;
            }
        }
        foreach (var prefix in _prefixes)
        {
            if (sourceName.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
