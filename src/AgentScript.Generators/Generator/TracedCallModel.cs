using System;
using AgentScript.Generators.Shared;

namespace AgentScript.Generators.Generator
{
    /// <summary>How the intercepted method is called from the interceptor.</summary>
    internal enum TracedCallKind
    {
        Static,
        Instance,
        Extension,
    }

    /// <summary>
    /// One parameter of an interceptor: its type and how it is passed. Not its name: the interceptor names its
    /// parameters itself (<c>__arg0</c>, …), so no name of the user's can collide with the names it introduces.
    /// </summary>
    internal sealed class TracedParameter : IEquatable<TracedParameter>
    {
        /// <summary>The declaration modifier of a <c>ref readonly</c> parameter (passed on with <c>in</c>).</summary>
        public const string RefReadonly = "ref readonly ";

        public TracedParameter(string type, string refKind, string attributes)
        {
            Type = type;
            RefKind = refKind;
            Attributes = attributes;
        }

        /// <summary>Fully qualified type with nullable annotations.</summary>
        public string Type { get; }
        /// <summary><c>""</c>, <c>"ref "</c>, <c>"out "</c>, <c>"in "</c> or <see cref="RefReadonly"/>.</summary>
        public string RefKind { get; }
        /// <summary>Nullable flow attributes (<see cref="FlowAttributes"/>), each followed by a space, or <c>""</c>.</summary>
        public string Attributes { get; }

        public bool Equals(TracedParameter? other) =>
            other != null && Type == other.Type && RefKind == other.RefKind && Attributes == other.Attributes;

        public override bool Equals(object? obj) => Equals(obj as TracedParameter);

        public override int GetHashCode() => HashCombiner.Combine(HashCombiner.Combine(HashCombiner.Combine(17, Type), RefKind), Attributes);
    }

    /// <summary>
    /// The shape of one interceptor: every call site of a traced method with the same constructed signature shares it.
    /// </summary>
    internal sealed class TracedSignature : IEquatable<TracedSignature>
    {
        public TracedSignature(TracedCallKind kind, string typeName, string methodName, string typeArguments,
            string returnType, EntryReturnKind returnKind, EquatableArray<TracedParameter> parameters, string spanName, string returnAttributes)
        {
            ReturnAttributes = returnAttributes;
            Kind = kind;
            TypeName = typeName;
            MethodName = methodName;
            TypeArguments = typeArguments;
            ReturnType = returnType;
            ReturnKind = returnKind;
            Parameters = parameters;
            SpanName = spanName;
        }

        public TracedCallKind Kind { get; }
        /// <summary>The (constructed) containing type, <c>global::</c> prefixed; the receiver type of instance calls.</summary>
        public string TypeName { get; }
        public string MethodName { get; }
        /// <summary><c>""</c> or <c>&lt;global::System.Int32&gt;</c> for a generic method.</summary>
        public string TypeArguments { get; }
        /// <summary>Fully qualified return type, or <c>void</c>.</summary>
        public string ReturnType { get; }
        public EntryReturnKind ReturnKind { get; }
        /// <summary>Parameters of the method as called (for extension methods, the <c>this</c> parameter first).</summary>
        public EquatableArray<TracedParameter> Parameters { get; }
        /// <summary>The span's <c>function_name</c>.</summary>
        public string SpanName { get; }
        /// <summary>Nullable flow attributes of the return (<c>[return: …]</c>), or <c>""</c>.</summary>
        public string ReturnAttributes { get; }

        public bool Equals(TracedSignature? other) =>
            other != null && Kind == other.Kind && TypeName == other.TypeName && MethodName == other.MethodName
            && TypeArguments == other.TypeArguments && ReturnType == other.ReturnType && ReturnKind == other.ReturnKind
            && Parameters.Equals(other.Parameters) && SpanName == other.SpanName && ReturnAttributes == other.ReturnAttributes;

        public override bool Equals(object? obj) => Equals(obj as TracedSignature);

        public override int GetHashCode()
        {
            var h = HashCombiner.Combine(17, (int)Kind);
            h = HashCombiner.Combine(h, TypeName);
            h = HashCombiner.Combine(h, MethodName);
            h = HashCombiner.Combine(h, TypeArguments);
            h = HashCombiner.Combine(h, ReturnType);
            h = HashCombiner.Combine(h, (int)ReturnKind);
            h = HashCombiner.Combine(h, Parameters);
            h = HashCombiner.Combine(h, SpanName);
            return HashCombiner.Combine(h, ReturnAttributes);
        }
    }

    /// <summary>A call site to intercept: the value of <c>InterceptsLocationAttribute</c> (version, data) and a readable position.</summary>
    internal sealed class InterceptLocationModel : IEquatable<InterceptLocationModel>
    {
        public InterceptLocationModel(int version, string data, string display)
        {
            Version = version;
            Data = data;
            Display = display;
        }

        public int Version { get; }
        public string Data { get; }
        /// <summary><c>File.cs(line,column)</c>, written as a comment next to the attribute.</summary>
        public string Display { get; }

        public bool Equals(InterceptLocationModel? other) =>
            other != null && Version == other.Version && Data == other.Data && Display == other.Display;

        public override bool Equals(object? obj) => Equals(obj as InterceptLocationModel);

        public override int GetHashCode() =>
            HashCombiner.Combine(HashCombiner.Combine(HashCombiner.Combine(17, Version), Data), Display);
    }

    /// <summary>One invocation of a <c>[Traced]</c> method.</summary>
    internal sealed class TracedCallModel : IEquatable<TracedCallModel>
    {
        public TracedCallModel(TracedSignature signature, InterceptLocationModel location)
        {
            Signature = signature;
            Location = location;
        }

        public TracedSignature Signature { get; }
        public InterceptLocationModel Location { get; }

        public bool Equals(TracedCallModel? other) =>
            other != null && Signature.Equals(other.Signature) && Location.Equals(other.Location);

        public override bool Equals(object? obj) => Equals(obj as TracedCallModel);

        public override int GetHashCode() => HashCombiner.Combine(HashCombiner.Combine(17, Signature), Location);
    }
}
