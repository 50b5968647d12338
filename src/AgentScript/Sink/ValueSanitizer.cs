using AgentScript.Sanitizing;
using Serilog.Events;

namespace AgentScript.Sink;

/// <summary>
/// The front door of the value writer (<c>Sanitizing/</c>): makes values safe to store or print. Long strings keep
/// head and tail around <c>...</c>, base64 data URIs keep their header, long lists become <c>[&lt;N type elements&gt;]</c>,
/// objects are written recursively with cycles, depth, size and time cut, values that cannot be serialised become a
/// placeholder, secrets become <c>***</c> — by name (<see cref="SecretNames"/>) and by value (<see cref="SecretText"/>),
/// NaN/Infinity, lone surrogates and NUL are made safe. Never throws.
/// </summary>
internal static class ValueSanitizer
{
    /// <summary>What a redacted secret is replaced with.</summary>
    public const string Redacted = SecretText.Redacted;

    /// <summary>True when <paramref name="key"/> names a secret (case- and separator-insensitive).</summary>
    public static bool IsSecretKey(string? key) => SecretNames.IsSecretName(key);

    /// <summary>The text rule (<see cref="TextCleaner"/>) with the string limits of <paramref name="limits"/>.</summary>
    public static string TruncateString(string? value, ValueLimits? limits = null) => SafeJson.Text(value, limits ?? ValueLimits.Properties);

    /// <summary>The text rule with the two lengths given directly and the secrets of <paramref name="secrets"/>.</summary>
    public static string TruncateString(string? value, int maxStringLength, int maxDataUriLength, KnownSecrets? secrets = null) =>
        TextCleaner.Clean(value, maxStringLength, maxDataUriLength, secrets ?? KnownSecrets.Process);

    /// <summary>Replaces lone UTF-16 surrogates and NUL with U+FFFD so the text is valid everywhere.</summary>
    public static string CleanText(string value) => TextCleaner.CleanText(value);

    /// <summary>Any CLR value as safe JSON text.</summary>
    public static string ToJson(object? value, ValueLimits? limits = null) => ClrJson.ToJson(value, limits ?? ValueLimits.Properties);

    /// <summary>JSON text made safe; text that is not JSON becomes a (truncated) JSON string.</summary>
    public static string SanitizeJson(string? json, ValueLimits? limits = null) => ElementJson.Sanitize(json, limits ?? ValueLimits.Payload);

    /// <summary>Serilog properties as one safe JSON object text, or null when there are none.</summary>
    public static string? PropertiesToJson(IEnumerable<KeyValuePair<string, LogEventPropertyValue>> properties, ValueLimits? limits = null) =>
        SerilogJson.PropertiesToJson(properties, null, limits ?? ValueLimits.Properties);

    /// <summary>The properties except those <paramref name="skip"/> names, as one safe JSON object text, or null when none is left.</summary>
    public static string? PropertiesToJson(IReadOnlyDictionary<string, LogEventPropertyValue> properties, Func<string, bool> skip, ValueLimits limits) =>
        SerilogJson.PropertiesToJson(properties, skip, limits);

    /// <summary>One Serilog property value as safe JSON text.</summary>
    public static string SerilogValueToJson(LogEventPropertyValue value, ValueLimits? limits = null) =>
        SerilogJson.ValueToJson(value, limits ?? ValueLimits.Properties);
}
