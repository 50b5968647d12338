// Job: find whether a text contains any of a fixed set of strings, in one pass of precompiled code.
using System.Numerics;

namespace AgentScript.Sanitizing;

/// <summary>
/// A fixed set of strings (three characters or more each) searched for in a text: one pass over the text's character
/// triples, each hashed into a bit table of the strings' first three characters (ASCII case folded), and a full
/// comparison only where a triple's bit is set.
/// </summary>
/// <remarks>
/// Why not <c>SearchValues&lt;string&gt;</c>: its generic search code is compiled when a process first uses it, which
/// measured 25–35 ms of every script's start-up (creation plus first search, in a fresh process); this type is
/// ordinary library code, precompiled with the rest. Triples, not pairs: pairs such as "se", "co" or "as" start a
/// value and are everywhere in prose and stack traces, and each hit costs a full comparison.
/// </remarks>
internal sealed class SubstringSet
{
    private const int HashBits = 16;

    // One bit per hashed triple (64 Ki bits, 8 KB: stays in the first-level cache); the hashes that start a value,
    // sorted, with their values.
    private readonly ulong[] _triples = new ulong[(1 << HashBits) / 64];
    private readonly int[] _hashes;
    private readonly string[][] _byHash;
    private readonly StringComparison _comparison;
    private readonly bool _ignoreCase;

    /// <param name="values">The strings; each has three characters or more (and only ASCII ones when case is ignored).</param>
    /// <param name="comparison"><see cref="StringComparison.Ordinal"/> or <see cref="StringComparison.OrdinalIgnoreCase"/>.</param>
    public SubstringSet(string[] values, StringComparison comparison)
    {
        if (comparison is not (StringComparison.Ordinal or StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentOutOfRangeException(nameof(comparison), comparison, "Ordinal or OrdinalIgnoreCase.");
        }
        _comparison = comparison;
        _ignoreCase = comparison == StringComparison.OrdinalIgnoreCase;
        foreach (var value in values)
        {
            if (value.Length < 3)
            {
                throw new ArgumentException($"Every value needs three characters or more; got \"{value}\".", nameof(values));
            }
            if (_ignoreCase && !System.Text.Ascii.IsValid(value))
            {
                throw new ArgumentException($"Values compared ignoring case must be ASCII; got \"{value}\".", nameof(values));
            }
            var hash = HashOf(value);
            _triples[hash >> 6] |= 1UL << hash;
        }
        // The hashes in ascending order are the set bits in order: no sorting or generic collection over a value type
        // (their code would be compiled at start).
        var count = 0;
        foreach (var word in _triples)
        {
            count += BitOperations.PopCount(word);
        }
        _hashes = new int[count];
        _byHash = new string[count][];
        var next = 0;
        for (var w = 0; w < _triples.Length; w++)
        {
            for (var bits = _triples[w]; bits != 0; bits &= bits - 1)
            {
                var hash = (w << 6) + BitOperations.TrailingZeroCount(bits);
                _hashes[next] = hash;
                _byHash[next++] = Array.FindAll(values, v => HashOf(v) == hash);
            }
        }
    }

    /// <summary>True when <paramref name="text"/> contains one of the strings.</summary>
    public bool AnyIn(ReadOnlySpan<char> text)
    {
        if (text.Length < 3)
        {
            return false;
        }
        var triples = _triples;
        var ignoreCase = _ignoreCase;
        var window = (Fold(text[0], ignoreCase) << 7) | Fold(text[1], ignoreCase);
        for (var i = 2; i < text.Length; i++)
        {
            window = ((window << 7) | Fold(text[i], ignoreCase)) & 0x1F_FFFF;
            var hash = Hash(window);
            if ((triples[hash >> 6] & (1UL << hash)) != 0 && StartsWithOne(text[(i - 2)..], hash))
            {
                return true;
            }
        }
        return false;
    }

    private bool StartsWithOne(ReadOnlySpan<char> text, int hash)
    {
        foreach (var candidate in _byHash[IndexOf(hash)])
        {
            if (text.StartsWith(candidate, _comparison))
            {
                return true;
            }
        }
        return false;
    }

    // Binary search of a hash whose bit is set, so it is there.
    private int IndexOf(int hash)
    {
        int low = 0, high = _hashes.Length - 1;
        while (true)
        {
            var middle = (low + high) >> 1;
            if (_hashes[middle] == hash)
            {
                return middle;
            }
            if (_hashes[middle] < hash)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
    }

    private int HashOf(string value) =>
        Hash((Fold(value[0], _ignoreCase) << 14) | (Fold(value[1], _ignoreCase) << 7) | Fold(value[2], _ignoreCase));

    // Fibonacci hashing of the 21-bit triple into HashBits bits.
    private static int Hash(int triple) => (int)(((uint)triple * 2654435761u) >> (32 - HashBits));

    // Equal characters (equal ignoring case, when case is ignored) fold alike: ASCII letters to lower case, other
    // ASCII as they are (or onto a neighbour), and, ignoring case, other characters by their upper case. Unrelated
    // triples may share a bit (the dotless ı folds like i): the full comparison sorts them out.
    private static int Fold(char c, bool ignoreCase) => c < 0x80 ? c | 0x20 : ignoreCase ? FoldNonAscii(c) : c & 0x7F;

    private static int FoldNonAscii(char c)
    {
        var upper = char.ToUpperInvariant(c);
        return upper < 0x80 ? upper | 0x20 : upper & 0x7F;
    }
}
