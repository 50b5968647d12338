using System.Buffers;
using System.Collections;
using System.Reflection;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Serilog.Events;

namespace AgentScript.Sink;

/// <summary>
/// Makes values safe to store: long strings keep head and tail around <c>...</c>, base64 data URIs keep their
/// header, long lists become <c>[&lt;N type elements&gt;]</c>, objects are handled recursively with cycles and depth
/// cut, values that cannot be serialised become a placeholder, secrets in well-known keys become <c>***</c>,
/// NaN/Infinity, lone surrogates and NUL are made safe. Never throws.
/// </summary>
internal static partial class ValueSanitizer
{
    /// <summary>What a redacted secret is replaced with.</summary>
    public const string Redacted = "***";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep non-ASCII text readable in the store (search, CLI); the writer still escapes what JSON requires.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
        MaxDepth = 1000,
    };

    private static readonly JsonSerializerOptions PocoOptions = new()
    {
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        MaxDepth = 64,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [GeneratedRegex("^(data:image/[a-zA-Z+.-]+;base64,)", RegexOptions.CultureInvariant)]
    private static partial Regex DataUriHeader();

    // Secret suffixes, compared against keys lower-cased with separators removed: "db_password", "X-Api-Key",
    // "github_token" match; "prompt_tokens" and "TokenCount" (common in agent logs) do not. The list: password,
    // passwd, pwd, token, secret, apikey, authorization, cookie, connectionstring, privatekey, credential,
    // credentials, passphrase, sessionid — grouped by their last letter: a key's last letter or digit picks the few worth comparing, and
    // most ordinary names (Step, Count, Url, ...) are rejected after reading one character.
    private static readonly string[] SecretsEndingD = ["password", "passwd", "pwd", "sessionid"];
    private static readonly string[] SecretsEndingN = ["token", "authorization"];
    private static readonly string[] SecretsEndingT = ["secret"];
    private static readonly string[] SecretsEndingY = ["apikey", "privatekey"];
    private static readonly string[] SecretsEndingE = ["cookie", "passphrase"];
    private static readonly string[] SecretsEndingG = ["connectionstring"];
    private static readonly string[] SecretsEndingL = ["credential"];
    private static readonly string[] SecretsEndingS = ["credentials"];

    // The longest suffix: only this many trailing letters/digits of a key decide whether it is a secret.
    private const int MaxSecretSuffix = 16;

    /// <summary>True when <paramref name="key"/> names a secret (case- and separator-insensitive).</summary>
    public static bool IsSecretKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }
        var last = key.Length - 1;
        while (last >= 0 && !char.IsLetterOrDigit(key[last]))
        {
            last--;
        }
        if (last < 0)
        {
            return false;
        }
        var candidates = char.ToLowerInvariant(key[last]) switch
        {
            'd' => SecretsEndingD,
            'n' => SecretsEndingN,
            't' => SecretsEndingT,
            'y' => SecretsEndingY,
            'e' => SecretsEndingE,
            'g' => SecretsEndingG,
            'l' => SecretsEndingL,
            's' => SecretsEndingS,
            _ => null,
        };
        if (candidates is null)
        {
            return false;
        }
        // The rule is a suffix match on the key lower-cased with everything but letters and digits removed, so
        // only the tail needs normalising: cost independent of the key's length, no allocation.
        Span<char> tail = stackalloc char[MaxSecretSuffix];
        var n = 0;
        for (var i = last; i >= 0 && n < MaxSecretSuffix; i--)
        {
            var c = key[i];
            if (char.IsLetterOrDigit(c))
            {
                tail[MaxSecretSuffix - 1 - n++] = char.ToLowerInvariant(c);
            }
        }
        var normalized = tail[(MaxSecretSuffix - n)..];
        foreach (var suffix in candidates)
        {
            if (normalized.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Truncation for strings, plus text clean-up: a data URI keeps its header and
    /// truncates its data; other strings longer than the limit keep head and tail around <c>...</c>.
    /// </summary>
    public static string TruncateString(string? value, ValueLimits? limits = null)
    {
        limits ??= ValueLimits.Properties;
        return TruncateString(value, limits.MaxStringLength, limits.MaxDataUriLength);
    }

    /// <summary><see cref="TruncateString(string?, ValueLimits?)"/> with the two limits it uses given directly.</summary>
    internal static string TruncateString(string? value, int maxStringLength, int maxDataUriLength)
    {
        if (value is null)
        {
            return "";
        }
        try
        {
            var isDataUri = value.Length > 20 && value[0] == 'd' && value.StartsWith("data:image/", StringComparison.Ordinal);
            // The common case: short, clean text is stored as it is, without allocating.
            if (!isDataUri && value.Length <= maxStringLength && IsClean(value))
            {
                return value;
            }
            var match = isDataUri ? DataUriHeader().Match(value) : Match.Empty;
            if (match.Success)
            {
                var header = match.Groups[1].Value;
                var data = value[header.Length..];
                return CleanText(header + HeadTail(data, maxDataUriLength));
            }
            return CleanText(HeadTail(value, maxStringLength));
        }
        catch (Exception)
        {
            return "<unprintable string>";
        }
    }

    /// <summary>True when the text has no NUL and no surrogate at all (vectorised scans; pairs take the careful path).</summary>
    private static bool IsClean(ReadOnlySpan<char> text) => text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0 && !text.Contains('\0');

    private static string HeadTail(string value, int max)
    {
        if (value.Length <= max)
        {
            return value;
        }
        var half = max / 2;
        if (half == 0 && max > 0)
        {
            half = 1;
        }
        if (half <= 0)
        {
            return "...";
        }
        return string.Concat(value.AsSpan(0, half), "...", value.AsSpan(value.Length - half));
    }

    /// <summary>Replaces lone UTF-16 surrogates and NUL with U+FFFD so the text is valid everywhere.</summary>
    public static string CleanText(string value)
    {
        var span = value.AsSpan();
        var surrogate = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        var nul = span.IndexOf('\0');
        if (surrogate < 0 && nul < 0)
        {
            return value;
        }
        // Everything before the first NUL or surrogate is fine; check carefully from there.
        var i = surrogate < 0 ? nul : nul < 0 ? surrogate : Math.Min(surrogate, nul);
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                break;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }
                break;
            }
            if (char.IsLowSurrogate(c))
            {
                break;
            }
        }
        if (i == value.Length)
        {
            return value;
        }
        var sb = new StringBuilder(value.Length);
        sb.Append(value, 0, i);
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                sb.Append('\uFFFD');
            }
            else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                sb.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                sb.Append('\uFFFD');
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>Any CLR value as safe JSON text. Never throws.</summary>
    public static string ToJson(object? value, ValueLimits? limits = null)
    {
        limits ??= ValueLimits.Properties;
        return WriteSafely((value, limits), static (w, s) => WriteClr(w, s.value, s.limits, 0, null));
    }

    /// <summary>
    /// JSON text made safe with <paramref name="limits"/> (redaction, truncation, summaries). Text that is not
    /// valid JSON is stored as a (truncated) JSON string. Never throws.
    /// </summary>
    public static string SanitizeJson(string? json, ValueLimits? limits = null)
    {
        limits ??= ValueLimits.Payload;
        if (json is null)
        {
            return "null";
        }
        JsonDocument? doc = null;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1000 });
        }
        catch (Exception)
        {
            return WriteSafely((json, limits), static (w, s) => w.WriteStringValue(TruncateString(s.json, s.limits)));
        }
        using (doc)
        {
            return WriteSafely((doc.RootElement, limits), static (w, s) => WriteElement(w, s.RootElement, s.limits, 0));
        }
    }

    /// <summary>Serilog properties as one safe JSON object text, or null when there are none. Never throws.</summary>
    public static string? PropertiesToJson(IEnumerable<KeyValuePair<string, LogEventPropertyValue>> properties, ValueLimits? limits = null)
    {
        limits ??= ValueLimits.Properties;
        var any = false;
        var json = WriteSafely((properties, limits), (w, s) =>
        {
            w.WriteStartObject();
            var keys = new UniqueKeys();
            try
            {
                var count = 0;
                var skipped = 0;
                foreach (var (key, value) in s.properties)
                {
                    any = true;
                    WriteProperty(w, ref keys, key, value, s.limits, ref count, ref skipped);
                }
                if (skipped > 0)
                {
                    w.WritePropertyName(keys.Unique("<truncated>"));
                    w.WriteStringValue($"{skipped} more properties");
                }
            }
            finally
            {
                keys.Dispose();
            }
            w.WriteEndObject();
        });
        return any ? json : null;
    }

    /// <summary>
    /// The properties of an event except those <paramref name="skip"/> names, as one safe JSON object text, or null
    /// when none is left. The mapper's path: no copy of the properties, no closure.
    /// </summary>
    internal static string? PropertiesToJson(IReadOnlyDictionary<string, LogEventPropertyValue> properties, Func<string, bool> skip, ValueLimits limits)
    {
        var json = WriteSafely((properties, skip, limits), static (w, s) =>
        {
            w.WriteStartObject();
            var keys = new UniqueKeys();
            try
            {
                var count = 0;
                var skipped = 0;
                // Serilog keeps event properties in a Dictionary: enumerate it without boxing its enumerator.
                if (s.properties is Dictionary<string, LogEventPropertyValue> dict)
                {
                    foreach (var (key, value) in dict)
                    {
                        if (!s.skip(key))
                        {
                            WriteProperty(w, ref keys, key, value, s.limits, ref count, ref skipped);
                        }
                    }
                }
                else
                {
                    foreach (var (key, value) in s.properties)
                    {
                        if (!s.skip(key))
                        {
                            WriteProperty(w, ref keys, key, value, s.limits, ref count, ref skipped);
                        }
                    }
                }
                if (skipped > 0)
                {
                    w.WritePropertyName(keys.Unique("<truncated>"));
                    w.WriteStringValue($"{skipped} more properties");
                }
            }
            finally
            {
                keys.Dispose();
            }
            w.WriteEndObject();
        });
        return json == "{}" ? null : json;
    }

    private static void WriteProperty(Utf8JsonWriter w, ref UniqueKeys keys, string key, LogEventPropertyValue value, ValueLimits limits, ref int count, ref int skipped)
    {
        if (count >= limits.MaxProperties)
        {
            skipped++;
            return;
        }
        count++;
        var name = keys.Unique(CleanText(key));
        if (IsSecretKey(key))
        {
            w.WriteString(name, Redacted);
        }
        else if (value is not ScalarValue scalar || !TryWriteScalarProperty(w, name, scalar.Value, limits))
        {
            w.WritePropertyName(name);
            WriteSerilog(w, value, limits, 1);
        }
    }

    /// <summary>
    /// The common scalars written with their name in one writer call (what nearly every event property is);
    /// false, with nothing written, for anything else or when the size budget is reached.
    /// </summary>
    private static bool TryWriteScalarProperty(Utf8JsonWriter w, string name, object? value, ValueLimits limits)
    {
        if (w.BytesPending + w.BytesCommitted >= limits.MaxTotalBytes)
        {
            return false;
        }
        switch (value)
        {
            case string s:
                w.WriteString(name, TruncateString(s, limits.MaxStringLength, limits.MaxDataUriLength));
                return true;
            case int i:
                w.WriteNumber(name, i);
                return true;
            case long l:
                w.WriteNumber(name, l);
                return true;
            case double d when double.IsFinite(d):
                w.WriteNumber(name, d);
                return true;
            case bool b:
                w.WriteBoolean(name, b);
                return true;
            case Guid g:
                w.WriteString(name, g);
                return true;
            case DateTimeOffset dto:
                Span<char> buffer = stackalloc char[64];
                if (!dto.TryFormat(buffer, out var written, "O", CultureInfo.InvariantCulture))
                {
                    return false;
                }
                w.WriteString(name, buffer[..written]);
                return true;
            default:
                return false;
        }
    }

    /// <summary>One Serilog property value as safe JSON text. Never throws.</summary>
    public static string SerilogValueToJson(LogEventPropertyValue value, ValueLimits? limits = null)
    {
        limits ??= ValueLimits.Properties;
        return WriteSafely((value, limits), static (w, s) => WriteSerilog(w, s.value, s.limits, 0));
    }

    /// <summary>A reusable buffer and writer per thread: the sink maps every event, so allocating them each time shows.</summary>
    private sealed class JsonScratch
    {
        public readonly ArrayBufferWriter<byte> Buffer = new(1024);
        public readonly Utf8JsonWriter Writer;

        public JsonScratch() => Writer = new Utf8JsonWriter(Buffer, WriterOptions);
    }

    [ThreadStatic]
    private static JsonScratch? t_scratch;

    // Larger buffers are dropped after use rather than kept alive per thread.
    private const int MaxKeptScratchBytes = 256 * 1024;

    private static string WriteSafely<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        // Taken out of the slot while in use: a re-entrant call (a ToString() that logs) gets its own.
        var scratch = t_scratch ?? new JsonScratch();
        t_scratch = null;
        try
        {
            scratch.Buffer.ResetWrittenCount();
            scratch.Writer.Reset(scratch.Buffer);
            write(scratch.Writer, state);
            scratch.Writer.Flush();
            return Encoding.UTF8.GetString(scratch.Buffer.WrittenSpan);
        }
        catch (Exception e)
        {
            // The last line of defence: a value that slipped past every check still gives valid JSON.
            return JsonSerializer.Serialize($"<unserialisable value: {e.GetType().Name}>");
        }
        finally
        {
            if (scratch.Buffer.Capacity <= MaxKeptScratchBytes)
            {
                t_scratch = scratch;
            }
        }
    }

    /// <summary>
    /// The names written in one JSON object, so each is unique: names that differ only in characters made safe
    /// (lone surrogates, NUL), dictionary keys whose text is equal (<c>1</c> and <c>"1"</c>), hidden members,
    /// duplicate names in JSON input, or a real key equal to a placeholder (<c>&lt;truncated&gt;</c>) would
    /// otherwise give duplicate keys, which <c>JsonObject</c> and stores reject. Later names get <c>_2</c>,
    /// <c>_3</c>, … (a suffix not used yet). A mutable struct: keep it in a local, pass it by <c>ref</c>, dispose it.
    /// </summary>
    private struct UniqueKeys
    {
        private const int LinearLimit = 16;
        private string[]? _small;
        private int _count;
        private HashSet<string>? _set;
        private Dictionary<string, int>? _nextSuffix;

        /// <summary><paramref name="name"/> itself when not used yet in this object, otherwise a suffixed name not used yet.</summary>
        public string Unique(string name)
        {
            if (TryAdd(name))
            {
                return name;
            }
            // Remember where each name's suffixes got to, so many colliding names stay linear, not quadratic.
            _nextSuffix ??= new Dictionary<string, int>(StringComparer.Ordinal);
            var i = _nextSuffix.TryGetValue(name, out var next) ? next : 2;
            string candidate;
            while (!TryAdd(candidate = string.Concat(name, "_", i.ToString(CultureInfo.InvariantCulture))))
            {
                i++;
            }
            _nextSuffix[name] = i + 1;
            return candidate;
        }

        private bool TryAdd(string name)
        {
            if (_set is not null)
            {
                return _set.Add(name);
            }
            _small ??= ArrayPool<string>.Shared.Rent(LinearLimit);
            for (var j = 0; j < _count; j++)
            {
                if (string.Equals(_small[j], name, StringComparison.Ordinal))
                {
                    return false;
                }
            }
            if (_count < LinearLimit)
            {
                _small[_count++] = name;
                return true;
            }
            _set = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < _count; j++)
            {
                _set.Add(_small[j]);
            }
            return _set.Add(name);
        }

        public void Dispose()
        {
            if (_small is not null)
            {
                ArrayPool<string>.Shared.Return(_small, clearArray: true);
                _small = null;
            }
        }
    }

    /// <summary>True (and a placeholder written) when the value written so far has reached its total size budget.</summary>
    private static bool OverBudget(Utf8JsonWriter w, ValueLimits limits)
    {
        if (w.BytesPending + w.BytesCommitted < limits.MaxTotalBytes)
        {
            return false;
        }
        w.WriteStringValue($"<size limit {limits.MaxTotalBytes} bytes>");
        return true;
    }

    private static void WriteSerilog(Utf8JsonWriter w, LogEventPropertyValue? value, ValueLimits limits, int depth)
    {
        if (OverBudget(w, limits))
        {
            return;
        }
        switch (value)
        {
            case null:
                w.WriteNullValue();
                return;
            case ScalarValue scalar:
                WriteScalar(w, scalar.Value, limits);
                return;
        }
        if (depth >= limits.MaxDepth)
        {
            w.WriteStringValue($"<depth limit {limits.MaxDepth}>");
            return;
        }
        switch (value)
        {
            case SequenceValue seq:
            {
                var elements = seq.Elements;
                if (elements.Count > limits.MaxListElements)
                {
                    w.WriteStringValue(Summary(elements.Count, KindOf(elements[0])));
                    return;
                }
                w.WriteStartArray();
                for (var i = 0; i < elements.Count; i++)
                {
                    WriteSerilog(w, elements[i], limits, depth + 1);
                }
                w.WriteEndArray();
                return;
            }
            case StructureValue st:
            {
                w.WriteStartObject();
                var keys = new UniqueKeys();
                try
                {
                    if (st.TypeTag is { } tag)
                    {
                        w.WritePropertyName(keys.Unique("$type"));
                        w.WriteStringValue(CleanText(tag));
                    }
                    var properties = st.Properties;
                    for (var i = 0; i < properties.Count; i++)
                    {
                        if (i >= limits.MaxProperties)
                        {
                            w.WritePropertyName(keys.Unique("<truncated>"));
                            w.WriteStringValue($"{properties.Count - limits.MaxProperties} more properties");
                            break;
                        }
                        var p = properties[i];
                        w.WritePropertyName(keys.Unique(CleanText(p.Name)));
                        if (IsSecretKey(p.Name))
                        {
                            w.WriteStringValue(Redacted);
                        }
                        else
                        {
                            WriteSerilog(w, p.Value, limits, depth + 1);
                        }
                    }
                }
                finally
                {
                    keys.Dispose();
                }
                w.WriteEndObject();
                return;
            }
            case DictionaryValue dict:
            {
                w.WriteStartObject();
                var keys = new UniqueKeys();
                try
                {
                    var m = 0;
                    foreach (var (k, v) in dict.Elements)
                    {
                        if (m++ >= limits.MaxProperties)
                        {
                            w.WritePropertyName(keys.Unique("<truncated>"));
                            w.WriteStringValue($"{dict.Elements.Count - limits.MaxProperties} more keys");
                            break;
                        }
                        var key = SafeToString(k.Value) ?? "null";
                        w.WritePropertyName(keys.Unique(CleanText(key)));
                        if (IsSecretKey(key))
                        {
                            w.WriteStringValue(Redacted);
                        }
                        else
                        {
                            WriteSerilog(w, v, limits, depth + 1);
                        }
                    }
                }
                finally
                {
                    keys.Dispose();
                }
                w.WriteEndObject();
                return;
            }
            default:
                w.WriteStringValue(TruncateString(SafeToString(value) ?? $"<{value.GetType().Name}>", limits));
                return;
        }
    }

    private static string KindOf(LogEventPropertyValue value) => value switch
    {
        ScalarValue s => KindOfClr(s.Value),
        SequenceValue => "array",
        _ => "object",
    };

    private static string KindOfClr(object? value) => value switch
    {
        null => "null",
        string or char => "string",
        bool => "boolean",
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal or Half or Int128 or UInt128 => "number",
        IDictionary => "object",
        IEnumerable => "array",
        JsonElement e => e.ValueKind.ToString().ToLowerInvariant(),
        _ => value.GetType().Name,
    };

    private static string Summary(int count, string kind) => $"[<{count} {kind} elements>]";

    /// <summary>Writes a leaf value; returns false when <paramref name="value"/> is not a leaf.</summary>
    private static bool TryWriteLeaf(Utf8JsonWriter w, object? value, ValueLimits limits)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                return true;
            case string s:
                w.WriteStringValue(TruncateString(s, limits));
                return true;
            case char c:
                w.WriteStringValue(CleanText(c.ToString()));
                return true;
            case bool b:
                w.WriteBooleanValue(b);
                return true;
            case int i: w.WriteNumberValue(i); return true;
            case long l: w.WriteNumberValue(l); return true;
            case short sh: w.WriteNumberValue(sh); return true;
            case byte by: w.WriteNumberValue(by); return true;
            case sbyte sb: w.WriteNumberValue(sb); return true;
            case ushort us: w.WriteNumberValue(us); return true;
            case uint ui: w.WriteNumberValue(ui); return true;
            case ulong ul: w.WriteNumberValue(ul); return true;
            case decimal de: w.WriteNumberValue(de); return true;
            case double d:
                WriteDouble(w, d);
                return true;
            case float f:
                WriteDouble(w, f);
                return true;
            case Half h:
                WriteDouble(w, (double)h);
                return true;
            case Int128 or UInt128 or System.Numerics.BigInteger:
                w.WriteRawValue(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                return true;
            case DateTime dt:
                WriteFormatted(w, dt, "O");
                return true;
            case DateTimeOffset dto:
                WriteFormatted(w, dto, "O");
                return true;
            case DateOnly d0:
                WriteFormatted(w, d0, "O");
                return true;
            case TimeOnly t0:
                WriteFormatted(w, t0, "O");
                return true;
            case TimeSpan ts:
                WriteFormatted(w, ts, "c");
                return true;
            case Guid g:
                w.WriteStringValue(g); // the writer uses the "D" format
                return true;
            case Uri u:
                w.WriteStringValue(TruncateString(u.OriginalString, limits));
                return true;
            case Enum e:
                w.WriteStringValue(e.ToString());
                return true;
            case Version v:
                w.WriteStringValue(v.ToString());
                return true;
            case byte[] bytes:
                w.WriteStringValue(bytes.Length > limits.MaxListElements
                    ? $"<{bytes.Length} bytes>"
                    : Convert.ToBase64String(bytes));
                return true;
            case Delegate or Task or Stream or IntPtr or UIntPtr or Type or System.Reflection.MemberInfo or CancellationToken:
                w.WriteStringValue($"<unserialisable {value.GetType().Name}>");
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes a value formatted as a string without allocating one (dates and times in round-trip form).</summary>
    private static void WriteFormatted<T>(Utf8JsonWriter w, T value, string format) where T : ISpanFormattable
    {
        Span<char> buffer = stackalloc char[64];
        if (value.TryFormat(buffer, out var written, format, CultureInfo.InvariantCulture))
        {
            w.WriteStringValue(buffer[..written]);
        }
        else
        {
            w.WriteStringValue(value.ToString(format, CultureInfo.InvariantCulture));
        }
    }

    private static void WriteDouble(Utf8JsonWriter w, double d)
    {
        // JSON has no NaN or Infinity; store them as the strings .NET and JavaScript use.
        if (double.IsFinite(d))
        {
            w.WriteNumberValue(d);
        }
        else
        {
            w.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteScalar(Utf8JsonWriter w, object? value, ValueLimits limits)
    {
        if (TryWriteLeaf(w, value, limits))
        {
            return;
        }
        // Serilog keeps types it does not destructure as scalars and renders them with ToString().
        w.WriteStringValue(TruncateString(SafeToString(value) ?? "null", limits));
    }

    private static string? SafeToString(object? value)
    {
        if (value is null)
        {
            return null;
        }
        try
        {
            return value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString();
        }
        catch (Exception e)
        {
            return $"<unserialisable {value.GetType().Name}: ToString() threw {e.GetType().Name}>";
        }
    }

    private static void WriteClr(Utf8JsonWriter w, object? value, ValueLimits limits, int depth, HashSet<object>? path)
    {
        if (TryWriteLeaf(w, value, limits))
        {
            return;
        }
        switch (value)
        {
            case LogEventPropertyValue lv:
                WriteSerilog(w, lv, limits, depth);
                return;
            case JsonElement je:
                WriteElement(w, je, limits, depth);
                return;
            case JsonDocument jd:
                WriteElement(w, jd.RootElement, limits, depth);
                return;
            case JsonNode node:
                WriteNode(w, node, limits, depth);
                return;
        }
        if (depth >= limits.MaxDepth)
        {
            w.WriteStringValue($"<depth limit {limits.MaxDepth}>");
            return;
        }
        // Created at the first container: a leaf value needs no cycle tracking.
        path ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
        if (!path.Add(value!))
        {
            w.WriteStringValue("<cycle>");
            return;
        }
        try
        {
            switch (value)
            {
                case Exception ex:
                    w.WriteStartObject();
                    w.WriteString("type", ex.GetType().FullName);
                    w.WriteString("message", TruncateString(SafeMessage(ex), limits));
                    w.WriteEndObject();
                    return;
                case IDictionary dict:
                    WriteDictionary(w, EnumerateDictionary(dict), SafeCount(dict), limits, depth, path);
                    return;
                case IEnumerable<KeyValuePair<string, object?>> pairs:
                    WriteDictionary(w, pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)), -1, limits, depth, path);
                    return;
                case IEnumerable seq:
                    WriteSequence(w, seq, limits, depth, path);
                    return;
                default:
                    WritePoco(w, value!, limits, depth, path);
                    return;
            }
        }
        finally
        {
            path.Remove(value!);
        }
    }

    private static string SafeMessage(Exception e)
    {
        try
        {
            return e.Message;
        }
        catch (Exception)
        {
            return "<message unavailable>";
        }
    }

    private static int SafeCount(ICollection c)
    {
        try
        {
            return c.Count;
        }
        catch (Exception)
        {
            return -1;
        }
    }

    private static IEnumerable<KeyValuePair<string, object?>> EnumerateDictionary(IDictionary dict)
    {
        foreach (DictionaryEntry e in dict)
        {
            yield return new KeyValuePair<string, object?>(SafeToString(e.Key) ?? "null", e.Value);
        }
    }

    private static void WriteDictionary(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, object?>> pairs, int count, ValueLimits limits, int depth, HashSet<object> path)
    {
        // Materialise first (bounded), so a throwing enumerator cannot leave a half-written object.
        var items = new List<KeyValuePair<string, object?>>();
        var more = 0;
        string? failure = null;
        try
        {
            foreach (var p in pairs)
            {
                if (items.Count < limits.MaxProperties)
                {
                    items.Add(p);
                }
                else
                {
                    more++;
                }
            }
        }
        catch (Exception e)
        {
            failure = $"<enumeration failed: {e.GetType().Name}>";
        }
        w.WriteStartObject();
        var keys = new UniqueKeys();
        try
        {
            foreach (var (key, v) in items)
            {
                w.WritePropertyName(keys.Unique(CleanText(key)));
                if (IsSecretKey(key))
                {
                    w.WriteStringValue(Redacted);
                }
                else
                {
                    WriteChild(w, v, limits, depth + 1, path);
                }
            }
            if (more > 0)
            {
                w.WritePropertyName(keys.Unique("<truncated>"));
                w.WriteStringValue($"{more} more keys");
            }
            if (failure is not null)
            {
                w.WritePropertyName(keys.Unique("<error>"));
                w.WriteStringValue(failure);
            }
        }
        finally
        {
            keys.Dispose();
        }
        w.WriteEndObject();
    }

    private static void WriteSequence(Utf8JsonWriter w, IEnumerable seq, ValueLimits limits, int depth, HashSet<object> path)
    {
        var items = new List<object?>();
        var total = 0;
        string? failure = null;
        // Count up to a cap, so an endless enumerable cannot hang the logger.
        const int enumerationCap = 10_000_000;
        try
        {
            foreach (var item in seq)
            {
                if (total < limits.MaxListElements + 1)
                {
                    items.Add(item);
                }
                total++;
                if (total >= enumerationCap)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            failure = $"<enumeration failed: {e.GetType().Name}>";
        }
        if (failure is null && total > limits.MaxListElements)
        {
            var prefix = total >= enumerationCap ? "at least " : "";
            w.WriteStringValue($"[<{prefix}{total} {KindOfClr(items[0])} elements>]");
            return;
        }
        w.WriteStartArray();
        foreach (var item in items.Take(limits.MaxListElements))
        {
            WriteChild(w, item, limits, depth + 1, path);
        }
        if (failure is not null)
        {
            w.WriteStringValue(failure);
        }
        w.WriteEndArray();
    }

    private static void WriteChild(Utf8JsonWriter w, object? value, ValueLimits limits, int depth, HashSet<object> path)
    {
        // Children that cannot be written become a placeholder; the writer is only touched with safe data.
        if (OverBudget(w, limits))
        {
            return;
        }
        WriteClr(w, value, limits, depth, path);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, MemberInfo[]> s_members = new();

    private static MemberInfo[] MembersOf(Type type) => s_members.GetOrAdd(type, static t =>
        [
            .. t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true }),
            .. t.GetFields(BindingFlags.Public | BindingFlags.Instance),
        ]);

    private static void WritePoco(Utf8JsonWriter w, object value, ValueLimits limits, int depth, HashSet<object> path)
    {
        // Member by member, so one throwing getter costs one placeholder, not the whole object.
        MemberInfo[] members;
        try
        {
            members = MembersOf(value.GetType());
        }
        catch (Exception e)
        {
            w.WriteStringValue($"<unserialisable {value.GetType().Name}: {e.GetType().Name}>");
            return;
        }
        if (members.Length == 0)
        {
            w.WriteStringValue(TruncateString(SafeToString(value) ?? value.GetType().Name, limits));
            return;
        }
        w.WriteStartObject();
        // Members hidden with `new` appear twice under one name.
        var keys = new UniqueKeys();
        try
        {
            var n = 0;
            foreach (var member in members)
            {
                if (n++ >= limits.MaxProperties)
                {
                    w.WritePropertyName(keys.Unique("<truncated>"));
                    w.WriteStringValue($"{members.Length - limits.MaxProperties} more properties");
                    break;
                }
                w.WritePropertyName(keys.Unique(CleanText(member.Name)));
                if (IsSecretKey(member.Name))
                {
                    w.WriteStringValue(Redacted);
                    continue;
                }
                object? memberValue;
                try
                {
                    memberValue = member is PropertyInfo p ? p.GetValue(value) : ((FieldInfo)member).GetValue(value);
                }
                catch (Exception e)
                {
                    var inner = e is TargetInvocationException { InnerException: { } ie } ? ie : e;
                    w.WriteStringValue($"<unserialisable: getter threw {inner.GetType().Name}>");
                    continue;
                }
                WriteChild(w, memberValue, limits, depth + 1, path);
            }
        }
        finally
        {
            keys.Dispose();
        }
        w.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter w, JsonNode node, ValueLimits limits, int depth)
    {
        JsonElement element;
        try
        {
            element = JsonSerializer.SerializeToElement(node, PocoOptions);
        }
        catch (Exception e)
        {
            w.WriteStringValue($"<unserialisable JsonNode: {e.GetType().Name}>");
            return;
        }
        WriteElement(w, element, limits, depth);
    }

    private static void WriteElement(Utf8JsonWriter w, JsonElement e, ValueLimits limits, int depth)
    {
        if (OverBudget(w, limits))
        {
            return;
        }
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                w.WriteStringValue(TruncateString(e.GetString(), limits));
                return;
            case JsonValueKind.Number:
                e.WriteTo(w);
                return;
            case JsonValueKind.True:
                w.WriteBooleanValue(true);
                return;
            case JsonValueKind.False:
                w.WriteBooleanValue(false);
                return;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                w.WriteNullValue();
                return;
        }
        if (depth >= limits.MaxDepth)
        {
            w.WriteStringValue($"<depth limit {limits.MaxDepth}>");
            return;
        }
        if (e.ValueKind == JsonValueKind.Array)
        {
            var length = e.GetArrayLength();
            if (length > limits.MaxListElements)
            {
                var first = e[0].ValueKind;
                w.WriteStringValue(Summary(length, first switch
                {
                    JsonValueKind.True or JsonValueKind.False => "boolean",
                    _ => first.ToString().ToLowerInvariant(),
                }));
                return;
            }
            w.WriteStartArray();
            foreach (var item in e.EnumerateArray())
            {
                WriteElement(w, item, limits, depth + 1);
            }
            w.WriteEndArray();
            return;
        }
        w.WriteStartObject();
        // JSON text may itself repeat a name (JsonDocument accepts it); the output never does.
        var keys = new UniqueKeys();
        try
        {
            var n = 0;
            var more = 0;
            foreach (var p in e.EnumerateObject())
            {
                if (n >= limits.MaxProperties)
                {
                    more++;
                    continue;
                }
                n++;
                var name = p.Name;
                w.WritePropertyName(keys.Unique(CleanText(name)));
                if (IsSecretKey(name))
                {
                    w.WriteStringValue(Redacted);
                }
                else
                {
                    WriteElement(w, p.Value, limits, depth + 1);
                }
            }
            if (more > 0)
            {
                w.WritePropertyName(keys.Unique("<truncated>"));
                w.WriteStringValue($"{more} more keys");
            }
        }
        finally
        {
            keys.Dispose();
        }
        w.WriteEndObject();
    }
}
