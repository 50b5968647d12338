// Job: remember, per thread, the cleaned text of objects Serilog hands over again and again.
using AgentScript.Sanitizing;

namespace AgentScript.Sink;

/// <summary>
/// The last few texts the mapper cleaned for objects Serilog reuses from event to event — a parsed message template
/// (Serilog caches them) and a context property's value (<c>LogContext.PushProperty</c> and <c>ForContext</c> add the
/// same value object to every event). Same object and same known secrets, same cleaned text: a script logging in a
/// loop does not redact its template and execution id again for every event. Objects are compared by reference, so a
/// new object is always cleaned; one cache per use (the limits differ), per thread.
/// </summary>
internal sealed class CleanedTextCache
{
    private const int Slots = 4;

    private readonly object?[] _keys = new object?[Slots];
    private readonly KnownSecrets?[] _secrets = new KnownSecrets?[Slots];
    private readonly string?[] _texts = new string?[Slots];
    private int _next;

    /// <summary>The cleaned text remembered for <paramref name="key"/> under <paramref name="secrets"/>, or null.</summary>
    public string? Find(object key, KnownSecrets secrets)
    {
        for (var i = 0; i < Slots; i++)
        {
            if (ReferenceEquals(_keys[i], key) && ReferenceEquals(_secrets[i], secrets))
            {
                return _texts[i];
            }
        }
        return null;
    }

    /// <summary>Remembers <paramref name="text"/> for <paramref name="key"/>, replacing the oldest entry.</summary>
    public void Add(object key, KnownSecrets secrets, string text)
    {
        _keys[_next] = key;
        _secrets[_next] = secrets;
        _texts[_next] = text;
        _next = (_next + 1) % Slots;
    }
}
