// Job: the set of secret values known at start-up (secret-named environment and .env variables, the ArangoDB password).
using System.Collections;
using AgentScript.Configuration;

namespace AgentScript.Sanitizing;

/// <summary>
/// Secret values known to this process, redacted wherever they appear in a value: the values of secret-named
/// environment variables (<see cref="SecretNames"/>: <c>MY_API_TOKEN</c>, <c>ARANGO_PASSWORD</c>…), the same from the
/// <c>.env</c> file, and the configured ArangoDB password. Values shorter than <see cref="MinLength"/> are ignored:
/// redacting <c>"1"</c> or <c>"true"</c> everywhere would destroy the record and protect nothing. Immutable.
/// </summary>
internal sealed class KnownSecrets
{
    /// <summary>Shorter values are not treated as secrets.</summary>
    public const int MinLength = 6;

    // Up to this many values, one vectorised IndexOf per value beats one scalar pass of a SubstringSet (measured
    // 16–33 ns against about 100 ns on a 43-character message for 1–4 values, level at 8).
    private const int DirectSearchLimit = 8;

    // Variables whose names end like a secret's but that hold none: the shell's working directories (PWD ends in
    // "pwd"). Taken as secrets they would redact every path under the script's directory from the record.
    private static readonly string[] NotSecrets = ["PWD", "OLDPWD"];

    private static readonly Lazy<KnownSecrets> s_process = new(() => FromVariables(ProcessVariables()));

    private readonly string[] _values;
    private readonly SubstringSet? _search;

    private KnownSecrets(string[] values)
    {
        // Longest first, so a secret that contains another is replaced whole.
        _values = [.. values.Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length)];
        _search = _values.Length > DirectSearchLimit ? new SubstringSet(_values, StringComparison.Ordinal) : null;
    }

    /// <summary>No known values.</summary>
    public static KnownSecrets None { get; } = new([]);

    /// <summary>The secret-named variables of the process environment, read once (the environment of a script does not change its secrets).</summary>
    public static KnownSecrets Process => s_process.Value;

    /// <summary>How many values are known.</summary>
    public int Count => _values.Length;

    /// <summary>The values of the secret-named variables in <paramref name="variables"/>.</summary>
    public static KnownSecrets FromVariables(IEnumerable<KeyValuePair<string, string?>> variables)
    {
        // A loop, not LINQ: LINQ over KeyValuePair (a struct) is JIT-compiled at every script's start.
        var values = new List<string>();
        foreach (var variable in variables)
        {
            if (SecretNames.IsSecretName(variable.Key) && Array.IndexOf(NotSecrets, variable.Key) < 0
                && variable.Value?.Trim() is { } trimmed && IsMeaningful(trimmed))
            {
                values.Add(trimmed);
            }
        }
        return new([.. values]);
    }

    /// <summary>
    /// The process's known values plus those of <paramref name="options"/>: secret-named variables of its <c>.env</c>
    /// file and the ArangoDB password.
    /// </summary>
    public static KnownSecrets From(AgentScriptOptions options)
    {
        var values = new List<string>(Process._values);
        if (IsMeaningful(options.Arango.Password))
        {
            values.Add(options.Arango.Password);
        }
        if (options.EnvFile is { } envFile)
        {
            try
            {
                values.AddRange(FromVariables(DotEnvFile.Parse(File.ReadAllText(envFile), envFile).Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))._values);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ConfigurationException)
            {
                // Configuration already read it successfully; a file changed since then adds nothing we can trust.
            }
        }
        return new KnownSecrets([.. values]);
    }

    /// <summary>These values plus <paramref name="more"/> (the meaningful ones).</summary>
    public KnownSecrets With(IEnumerable<string?> more) => new([.. _values, .. more.OfType<string>().Where(IsMeaningful)]);

    /// <summary>True when <paramref name="text"/> contains a known value.</summary>
    public bool AnyIn(ReadOnlySpan<char> text)
    {
        if (_search is not null)
        {
            return _search.AnyIn(text);
        }
        foreach (var value in _values)
        {
            if (text.IndexOf(value, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><paramref name="text"/> with every known value replaced by <paramref name="replacement"/>.</summary>
    public string ReplaceIn(string text, string replacement)
    {
        if (!AnyIn(text))
        {
            return text;
        }
        foreach (var value in _values)
        {
            text = text.Replace(value, replacement, StringComparison.Ordinal);
        }
        return text;
    }

    private static bool IsMeaningful(string? value) => value is { Length: >= MinLength } && !string.IsNullOrWhiteSpace(value);

    private static IEnumerable<KeyValuePair<string, string?>> ProcessVariables()
    {
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string key)
            {
                yield return new(key, e.Value as string);
            }
        }
    }
}
