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
public static partial class ValueSanitizer
{
    /// <summary>What a redacted secret is replaced with.</summary>
    public const string Redacted = "***";

    // Compared against keys lower-cased with separators removed, as a suffix: "db_password", "X-Api-Key",
    // "github_token" match; "prompt_tokens" and "TokenCount" (common in agent logs) do not.
    private static readonly string[] SecretKeySuffixes =
    [
        "password", "passwd", "pwd", "token", "secret", "apikey", "authorization", "cookie", "connectionstring",
        "privatekey", "credential", "credentials", "passphrase", "sessionid",
    ];

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

    /// <summary>True when <paramref name="key"/> names a secret (case- and separator-insensitive).</summary>
    public static bool IsSecretKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }
        Span<char> buffer = key.Length <= 128 ? stackalloc char[key.Length] : new char[key.Length];
        var n = 0;
        foreach (var c in key)
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[n++] = char.ToLowerInvariant(c);
            }
        }
        var normalized = buffer[..n];
        foreach (var suffix in SecretKeySuffixes)
        {
            if (normalized.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Seed 001's <c>truncate_large_value</c> for strings, plus text clean-up: a data URI keeps its header and
    /// truncates its data; other strings longer than the limit keep head and tail around <c>...</c>.
    /// </summary>
    public static string TruncateString(string? value, ValueLimits? limits = null)
    {
        if (value is null)
        {
            return "";
        }
        limits ??= ValueLimits.Properties;
        try
        {
            var match = value.Length > 20 && value.StartsWith("data:image/", StringComparison.Ordinal) ? DataUriHeader().Match(value) : Match.Empty;
            if (match.Success)
            {
                var header = match.Groups[1].Value;
                var data = value[header.Length..];
                return CleanText(header + HeadTail(data, limits.MaxDataUriLength));
            }
            return CleanText(HeadTail(value, limits.MaxStringLength));
        }
        catch (Exception)
        {
            return "<unprintable string>";
        }
    }

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
        var i = 0;
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
        return WriteSafely(w => WriteClr(w, value, limits, 0, new HashSet<object>(ReferenceEqualityComparer.Instance)));
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
            return WriteSafely(w => w.WriteStringValue(TruncateString(json, limits)));
        }
        using (doc)
        {
            var root = doc.RootElement;
            return WriteSafely(w => WriteElement(w, root, limits, 0));
        }
    }

    /// <summary>Serilog properties as one safe JSON object text, or null when there are none. Never throws.</summary>
    public static string? PropertiesToJson(IEnumerable<KeyValuePair<string, LogEventPropertyValue>> properties, ValueLimits? limits = null)
    {
        limits ??= ValueLimits.Properties;
        var any = false;
        var json = WriteSafely(w =>
        {
            w.WriteStartObject();
            var count = 0;
            var skipped = 0;
            foreach (var (key, value) in properties)
            {
                any = true;
                if (count >= limits.MaxProperties)
                {
                    skipped++;
                    continue;
                }
                count++;
                w.WritePropertyName(CleanText(key));
                if (IsSecretKey(key))
                {
                    w.WriteStringValue(Redacted);
                }
                else
                {
                    WriteSerilog(w, value, limits, 1);
                }
            }
            if (skipped > 0)
            {
                w.WriteString("<truncated>", $"{skipped} more properties");
            }
            w.WriteEndObject();
        });
        return any ? json : null;
    }

    /// <summary>One Serilog property value as safe JSON text. Never throws.</summary>
    public static string SerilogValueToJson(LogEventPropertyValue value, ValueLimits? limits = null)
    {
        limits ??= ValueLimits.Properties;
        return WriteSafely(w => WriteSerilog(w, value, limits, 0));
    }

    private static string WriteSafely(Action<Utf8JsonWriter> write)
    {
        try
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer, WriterOptions))
            {
                write(w);
                w.Flush();
            }
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (Exception e)
        {
            // The last line of defence: a value that slipped past every check still gives valid JSON.
            return JsonSerializer.Serialize($"<unserialisable value: {e.GetType().Name}>");
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
                if (seq.Elements.Count > limits.MaxListElements)
                {
                    w.WriteStringValue(Summary(seq.Elements.Count, KindOf(seq.Elements[0])));
                    return;
                }
                w.WriteStartArray();
                foreach (var e in seq.Elements)
                {
                    WriteSerilog(w, e, limits, depth + 1);
                }
                w.WriteEndArray();
                return;
            case StructureValue st:
                w.WriteStartObject();
                if (st.TypeTag is { } tag)
                {
                    w.WriteString("$type", CleanText(tag));
                }
                var n = 0;
                foreach (var p in st.Properties)
                {
                    if (n++ >= limits.MaxProperties)
                    {
                        w.WriteString("<truncated>", $"{st.Properties.Count - limits.MaxProperties} more properties");
                        break;
                    }
                    w.WritePropertyName(CleanText(p.Name));
                    if (IsSecretKey(p.Name))
                    {
                        w.WriteStringValue(Redacted);
                    }
                    else
                    {
                        WriteSerilog(w, p.Value, limits, depth + 1);
                    }
                }
                w.WriteEndObject();
                return;
            case DictionaryValue dict:
                w.WriteStartObject();
                var m = 0;
                foreach (var (k, v) in dict.Elements)
                {
                    if (m++ >= limits.MaxProperties)
                    {
                        w.WriteString("<truncated>", $"{dict.Elements.Count - limits.MaxProperties} more keys");
                        break;
                    }
                    var key = SafeToString(k.Value) ?? "null";
                    w.WritePropertyName(CleanText(key));
                    if (IsSecretKey(key))
                    {
                        w.WriteStringValue(Redacted);
                    }
                    else
                    {
                        WriteSerilog(w, v, limits, depth + 1);
                    }
                }
                w.WriteEndObject();
                return;
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
                w.WriteStringValue(dt.ToString("O", CultureInfo.InvariantCulture));
                return true;
            case DateTimeOffset dto:
                w.WriteStringValue(dto.ToString("O", CultureInfo.InvariantCulture));
                return true;
            case DateOnly d0:
                w.WriteStringValue(d0.ToString("O", CultureInfo.InvariantCulture));
                return true;
            case TimeOnly t0:
                w.WriteStringValue(t0.ToString("O", CultureInfo.InvariantCulture));
                return true;
            case TimeSpan ts:
                w.WriteStringValue(ts.ToString("c", CultureInfo.InvariantCulture));
                return true;
            case Guid g:
                w.WriteStringValue(g.ToString("D"));
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

    private static void WriteClr(Utf8JsonWriter w, object? value, ValueLimits limits, int depth, HashSet<object> path)
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
        foreach (var (key, v) in items)
        {
            w.WritePropertyName(CleanText(key));
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
            w.WriteString("<truncated>", $"{more} more keys");
        }
        if (failure is not null)
        {
            w.WriteString("<error>", failure);
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
        var n = 0;
        foreach (var member in members)
        {
            if (n++ >= limits.MaxProperties)
            {
                w.WriteString("<truncated>", $"{members.Length - limits.MaxProperties} more properties");
                break;
            }
            w.WritePropertyName(CleanText(member.Name));
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
            w.WritePropertyName(CleanText(p.Name));
            if (IsSecretKey(p.Name))
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
            w.WriteString("<truncated>", $"{more} more keys");
        }
        w.WriteEndObject();
    }
}
