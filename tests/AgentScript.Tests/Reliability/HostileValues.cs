using System.Collections;
using System.Numerics;
using System.Reflection;

namespace AgentScript.Tests.Reliability;

/// <summary>The corpus of hostile values every store must take safely (≥ 30 kinds).</summary>
internal static class HostileValues
{
    public sealed class Node
    {
        public string Name { get; set; } = "n";
        public Node? Next { get; set; }
    }

    public sealed class ThrowingGetter
    {
        public int Fine => 1;
        public int Broken => throw new InvalidOperationException("getter exploded");
    }

    public sealed class ThrowingToString
    {
        public override string ToString() => throw new InvalidOperationException("ToString exploded");
    }

    public sealed class ThrowingKey
    {
        public override string ToString() => throw new InvalidOperationException("key ToString exploded");
        public override int GetHashCode() => 1;
        public override bool Equals(object? obj) => ReferenceEquals(this, obj);
    }

    private static IEnumerable<int> Forever()
    {
        for (var i = 0; ; i++)
        {
            yield return i;
        }
    }

    private const string EnumerableThrowingMidway = "enumerable throwing midway";
    private const string GetEnumeratorThrows = "GetEnumerator throws";

    /// <summary>True for the kinds whose enumeration throws (as a final response they fail the run).</summary>
    public static bool ThrowsWhenEnumerated(string name) => name is EnumerableThrowingMidway or GetEnumeratorThrows;

    private static IEnumerable<int> ThrowsMidway()
    {
        yield return 1;
        yield return 2;
        throw new InvalidOperationException("enumeration exploded");
    }

    private sealed class ThrowingEnumerable : IEnumerable
    {
        public IEnumerator GetEnumerator() => throw new InvalidOperationException("GetEnumerator exploded");
    }

    private static object Nested(int depth, bool dictionary)
    {
        object current = "bottom";
        for (var i = 0; i < depth; i++)
        {
            current = dictionary ? new Dictionary<string, object> { ["d"] = current } : new List<object> { current };
        }
        return current;
    }

    private static unsafe object BoxedPointer()
    {
        var x = 42;
        // A real unmanaged pointer, boxed the only way the runtime allows.
        return Pointer.Box(&x, typeof(int*));
    }

    public static IEnumerable<(string Name, Func<object?> Value)> All()
    {
        yield return ("self-cycle dictionary", () => { var d = new Dictionary<string, object?>(); d["me"] = d; return d; });
        yield return ("object cycle", () => { var a = new Node { Name = "a" }; a.Next = new Node { Name = "b", Next = a }; return a; });
        yield return ("list containing itself", () => { var l = new List<object>(); l.Add(l); return l; });
        yield return ("100 MB string", () => new string('x', 100 * 1024 * 1024));
        yield return ("10,000-deep lists", () => Nested(10_000, dictionary: false));
        yield return ("10,000-deep dictionaries", () => Nested(10_000, dictionary: true));
        yield return ("lone high surrogate", () => "before \uD800 after");
        yield return ("lone low surrogate", () => "\uDC00 at start");
        yield return ("reversed surrogate pair", () => "\uDC00\uD800");
        yield return ("NUL characters", () => "a\0b\0\0c");
        yield return ("control characters, BOM, RTL override", () => "\u0001\u0007\u001b[31m\uFEFF\u202Egnirts");
        yield return ("NaN", () => double.NaN);
        yield return ("+Infinity", () => double.PositiveInfinity);
        yield return ("-Infinity", () => double.NegativeInfinity);
        yield return ("float NaN in a list", () => new[] { 1f, float.NaN, float.NegativeInfinity });
        yield return ("decimal.MaxValue and a 1000-digit BigInteger", () => new object[] { decimal.MaxValue, BigInteger.Pow(10, 1000) });
        yield return ("1,000,000-element int array", () => new int[1_000_000]);
        yield return ("10 MB byte array", () => new byte[10 * 1024 * 1024]);
        yield return ("100,000 strings", () => Enumerable.Range(0, 100_000).Select(i => "s" + i).ToList());
        yield return ("5 MB base64 image data URI", () => "data:image/png;base64," + Convert.ToBase64String(new byte[4 * 1024 * 1024]));
        yield return ("1 MB bare base64", () => Convert.ToBase64String(new byte[768 * 1024]));
        yield return ("throwing getter", () => new ThrowingGetter());
        yield return ("throwing ToString", () => new ThrowingToString());
        yield return ("dictionary key whose ToString throws", () => new Dictionary<object, int> { [new ThrowingKey()] = 1 });
        yield return ("infinite enumerable", () => Forever());
        yield return (EnumerableThrowingMidway, () => ThrowsMidway());
        yield return (GetEnumeratorThrows, () => new ThrowingEnumerable());
        yield return ("completed Task", () => Task.FromResult(42));
        yield return ("faulted Task", () => Task.FromException(new InvalidOperationException("task failed")));
        yield return ("never-completing Task", () => new TaskCompletionSource().Task);
        yield return ("IntPtr", () => new IntPtr(0x7fff_dead_beef));
        yield return ("UIntPtr", () => new UIntPtr(12345));
        yield return ("boxed unmanaged pointer", BoxedPointer);
        yield return ("100,000-char property name", () => new Dictionary<string, int> { [new string('k', 100_000)] = 1 });
        yield return ("property names with dots and $", () => new Dictionary<string, object> { ["a.b.c"] = 1, ["$where"] = "1==1", ["$type"] = "x", ["x$y"] = 2, ["."] = 3 });
        yield return ("ArangoDB system attribute names", () => new Dictionary<string, object> { ["_key"] = "k", ["_id"] = "c/k", ["_rev"] = "r", ["_from"] = "a/b", ["_to"] = "c/d" });
        yield return ("empty and whitespace property names", () => new Dictionary<string, int> { [""] = 1, [" "] = 2 });
        yield return ("property name with surrogate and NUL", () => new Dictionary<string, int> { ["k\uD800\0"] = 1 });
        yield return ("20,000 properties", () => Enumerable.Range(0, 20_000).ToDictionary(i => "p" + i, i => i));
        yield return ("Type object", () => typeof(string));
        yield return ("delegate", () => new Func<int>(() => 1));
        yield return ("exception with inner", () => new InvalidOperationException("outer", new ArgumentException("inner")));
        yield return ("open stream", () => new MemoryStream(new byte[100]));
        yield return ("extreme dates", () => new object[] { DateTime.MinValue, DateTimeOffset.MaxValue, TimeSpan.MinValue });
        yield return ("null", () => null);
        yield return ("secrets inside", () => new Dictionary<string, object> { ["password"] = "hunter2-SECRET", ["api_key"] = "sk-SECRET", ["nested"] = new Dictionary<string, object> { ["token"] = "tok-SECRET" } });
    }
}
