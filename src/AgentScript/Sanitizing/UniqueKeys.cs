// Job: keep the names written in one JSON object unique.
using System.Buffers;
using System.Globalization;

namespace AgentScript.Sanitizing;

/// <summary>
/// The names written in one JSON object, so each is unique: names that differ only in characters made safe
/// (lone surrogates, NUL), dictionary keys whose text is equal (<c>1</c> and <c>"1"</c>), hidden members,
/// duplicate names in JSON input, or a real key equal to a placeholder (<c>&lt;truncated&gt;</c>) would
/// otherwise give duplicate keys, which <c>JsonObject</c> and stores reject. Later names get <c>_2</c>,
/// <c>_3</c>, … (a suffix not used yet). A mutable struct: keep it in a local or field, pass it by <c>ref</c>, dispose it.
/// </summary>
internal struct UniqueKeys
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
