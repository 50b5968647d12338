// Job: the one loop every object-like value is written with (unique names, secret names redacted, member limit).
using System.Globalization;
using System.Text.Json;
using AgentScript.Sink;

namespace AgentScript.Sanitizing;

/// <summary>
/// Writes one JSON object member by member, whatever the input (Serilog structure or dictionary, CLR object or
/// dictionary, JSON object): each name made safe and unique, the value of a secret-named member written as
/// <c>***</c>, members past <see cref="ValueLimits.MaxProperties"/> counted into one <c>&lt;truncated&gt;</c> note.
/// A mutable struct: keep it in a local, call <see cref="End"/> once.
/// </summary>
internal struct JsonObjectMembers
{
    private readonly Utf8JsonWriter _writer;
    private readonly int _max;
    private UniqueKeys _keys;
    private int _count;
    private int _skipped;

    /// <summary>Starts the object.</summary>
    public JsonObjectMembers(Utf8JsonWriter writer, ValueLimits limits)
    {
        _writer = writer;
        _max = limits.MaxProperties;
        _keys = new UniqueKeys();
        writer.WriteStartObject();
    }

    /// <summary>
    /// Writes the name of the next member; true when the caller writes its value next, false when the member was
    /// redacted (its value written already) or is past the member limit (counted, nothing written).
    /// </summary>
    public bool Next(string name)
    {
        if (_count >= _max)
        {
            _skipped++;
            return false;
        }
        _count++;
        _writer.WritePropertyName(_keys.Unique(TextCleaner.CleanText(name)));
        if (SecretNames.IsSecretName(name))
        {
            _writer.WriteStringValue(SecretText.Redacted);
            return false;
        }
        return true;
    }

    /// <summary>Writes a note member (<c>&lt;truncated&gt;</c>, <c>&lt;error&gt;</c>) whose name is unique too.</summary>
    public void Note(string name, string text)
    {
        _writer.WritePropertyName(_keys.Unique(name));
        _writer.WriteStringValue(text);
    }

    /// <summary>Ends the object: the count of members left out (as "N more <paramref name="noun"/>"), then <paramref name="failure"/>.</summary>
    public void End(string noun, int moreNotSeen = 0, string? failure = null)
    {
        try
        {
            var more = _skipped + moreNotSeen;
            if (more > 0)
            {
                Note("<truncated>", string.Create(CultureInfo.InvariantCulture, $"{more} more {noun}"));
            }
            if (failure is not null)
            {
                Note("<error>", failure);
            }
            _writer.WriteEndObject();
        }
        finally
        {
            _keys.Dispose();
        }
    }
}
