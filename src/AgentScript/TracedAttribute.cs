namespace AgentScript;

/// <summary>
/// Wraps every call of the method in a traced span at compile time (C# interceptors): start and end events
/// with duration, <c>function_name</c>, <c>span_id</c>/<c>parent_span_id</c> nesting, and the exception recorded
/// and rethrown. No reflection at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TracedAttribute : Attribute
{
    /// <summary>Traces the method under its own name (<c>Type.Method</c>).</summary>
    public TracedAttribute() { }

    /// <summary>Traces the method under <paramref name="name"/>.</summary>
    public TracedAttribute(string name) => Name = name;

    /// <summary>The span name; <c>Type.Method</c> when null.</summary>
    public string? Name { get; }
}
