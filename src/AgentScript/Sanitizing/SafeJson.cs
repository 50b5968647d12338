// Job: the safe JSON writer shared by every front end — reusable buffers, the size budget, text and leaf values.
using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentScript.Sink;

namespace AgentScript.Sanitizing;

/// <summary>
/// The one JSON writer with limits: every text through <see cref="TextCleaner"/> (so secrets are redacted and lengths
/// cut), numbers JSON can hold (NaN and Infinity as strings), a size budget past which children become a placeholder.
/// The Serilog, CLR and JSON front ends (<see cref="SerilogJson"/>, <see cref="ClrJson"/>, <see cref="ElementJson"/>)
/// walk their inputs and call into it. Never throws out of <see cref="Write"/>.
/// </summary>
internal static class SafeJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep non-ASCII text readable in the store (search, CLI); the writer still escapes what JSON requires.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
        MaxDepth = 1000,
    };

    /// <summary>A reusable buffer and writer per thread: the sink maps every event, so allocating them each time shows.</summary>
    private sealed class Scratch
    {
        public readonly ArrayBufferWriter<byte> Buffer = new(1024);
        public readonly Utf8JsonWriter Writer;

        public Scratch() => Writer = new Utf8JsonWriter(Buffer, WriterOptions);
    }

    [ThreadStatic]
    private static Scratch? t_scratch;

    // Larger buffers are dropped after use rather than kept alive per thread.
    private const int MaxKeptScratchBytes = 256 * 1024;

    /// <summary>Runs <paramref name="write"/> on a fresh writer and returns the JSON text; a failure gives a JSON placeholder string.</summary>
    public static string Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        // Taken out of the slot while in use: a re-entrant call (a ToString() that logs) gets its own.
        var scratch = t_scratch ?? new Scratch();
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

    /// <summary>True when the value written so far has reached its total size budget (nothing written).</summary>
    public static bool Exhausted(Utf8JsonWriter w, ValueLimits limits) => w.BytesPending + w.BytesCommitted >= limits.MaxTotalBytes;

    /// <summary>True (and a placeholder written) when the value written so far has reached its total size budget.</summary>
    public static bool OverBudget(Utf8JsonWriter w, ValueLimits limits)
    {
        if (w.BytesPending + w.BytesCommitted < limits.MaxTotalBytes)
        {
            return false;
        }
        w.WriteStringValue($"<size limit {limits.MaxTotalBytes} bytes>");
        return true;
    }

    /// <summary>The text rule of these limits (redacted, cut, cleaned).</summary>
    public static string Text(string? value, ValueLimits limits) =>
        TextCleaner.Clean(value, limits.MaxStringLength, limits.MaxDataUriLength, limits.Secrets);

    /// <summary>The summary a long list becomes (seed 001): <c>[&lt;N type elements&gt;]</c>.</summary>
    public static string Summary(long count, string kind, bool atLeast = false) =>
        string.Create(CultureInfo.InvariantCulture, $"[<{(atLeast ? "at least " : "")}{count} {kind} elements>]");

    /// <summary>The JSON kind of a CLR value, for summaries.</summary>
    public static string KindOf(object? value) => value switch
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

    /// <summary>A value's text (IFormattable with the invariant culture); a throwing ToString() gives a placeholder.</summary>
    public static string? SafeToString(object? value)
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

    /// <summary>A value that is not a leaf, written as its (safe) text: what Serilog does with types it does not destructure.</summary>
    public static void WriteScalar(Utf8JsonWriter w, object? value, ValueLimits limits)
    {
        if (!TryWriteLeaf(w, value, limits))
        {
            w.WriteStringValue(Text(SafeToString(value) ?? "null", limits));
        }
    }

    /// <summary>Writes a leaf value; returns false when <paramref name="value"/> is not a leaf.</summary>
    public static bool TryWriteLeaf(Utf8JsonWriter w, object? value, ValueLimits limits)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                return true;
            case string s:
                w.WriteStringValue(Text(s, limits));
                return true;
            case char c:
                w.WriteStringValue(TextCleaner.CleanText(c.ToString()));
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
                w.WriteStringValue(Text(u.OriginalString, limits));
                return true;
            case Enum e:
                w.WriteStringValue(e.ToString());
                return true;
            case Version v:
                w.WriteStringValue(v.ToString());
                return true;
            case byte[] bytes:
                WriteBytes(w, bytes, limits);
                return true;
            // Memory is written as what it holds (its members say only Length and IsEmpty).
            case ReadOnlyMemory<byte> rob:
                WriteBytes(w, rob.Span, limits);
                return true;
            case Memory<byte> mb:
                WriteBytes(w, mb.Span, limits);
                return true;
            case ReadOnlyMemory<char> roc:
                w.WriteStringValue(Text(roc.ToString(), limits));
                return true;
            case Memory<char> mc:
                w.WriteStringValue(Text(mc.ToString(), limits));
                return true;
            case Delegate or Task or Stream or IntPtr or UIntPtr or Type or System.Reflection.MemberInfo or CancellationToken:
                w.WriteStringValue($"<unserialisable {value.GetType().Name}>");
                return true;
            default:
                return false;
        }
    }

    private static void WriteBytes(Utf8JsonWriter w, ReadOnlySpan<byte> bytes, ValueLimits limits) =>
        w.WriteStringValue(bytes.Length > limits.MaxListElements ? $"<{bytes.Length} bytes>" : Convert.ToBase64String(bytes));

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
}
