// Job: which members of a CLR type are written, under which names (a cache per type).
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace AgentScript.Sanitizing;

/// <summary>
/// The readable public instance properties and fields of a type, as System.Text.Json would name them
/// (<see cref="JsonPropertyNameAttribute"/>) and without the ones it always ignores (<see cref="JsonIgnoreAttribute"/>).
/// </summary>
internal static class ClrMembers
{
    /// <summary>One member and how to read it.</summary>
    internal sealed class Member(string name, MemberInfo info)
    {
        public string Name { get; } = name;

        /// <summary>Reads the member; false (with the exception's type name) when the getter threw.</summary>
        public bool TryGet(object target, out object? value, out string? error)
        {
            try
            {
                value = info is PropertyInfo p ? p.GetValue(target) : ((FieldInfo)info).GetValue(target);
                error = null;
                return true;
            }
            catch (Exception e)
            {
                var inner = e is TargetInvocationException { InnerException: { } ie } ? ie : e;
                value = null;
                error = inner.GetType().Name;
                return false;
            }
        }
    }

    // A safe cache: types do not change their members.
    private static readonly ConcurrentDictionary<Type, Member[]> s_members = new();

    /// <summary>The members of <paramref name="type"/>.</summary>
    public static Member[] Of(Type type) => s_members.GetOrAdd(type, static t =>
    [
        .. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true })
            .Where(IsWritten)
            .Select(p => new Member(NameOf(p), p)),
        .. t.GetFields(BindingFlags.Public | BindingFlags.Instance).Where(IsWritten).Select(f => new Member(NameOf(f), f)),
    ]);

    private static bool IsWritten(MemberInfo m) =>
        m.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always };

    private static string NameOf(MemberInfo m) => m.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? m.Name;
}
