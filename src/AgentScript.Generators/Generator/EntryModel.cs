using System;
using AgentScript.Generators.Shared;

namespace AgentScript.Generators.Generator
{
    /// <summary>One supported <c>[AgentScript]</c> method, reduced to the values the emitter needs (no symbols).</summary>
    internal sealed class EntryModel : IEquatable<EntryModel>
    {
        public EntryModel(string mode, string? description, string? scriptName, string typeName, string methodName,
            bool isStatic, EntryReturnKind returnKind, EquatableArray<EntryParameterKind> parameters, string sortKey)
        {
            SortKey = sortKey;
            Mode = mode;
            Description = description;
            ScriptName = scriptName;
            TypeName = typeName;
            MethodName = methodName;
            IsStatic = isStatic;
            ReturnKind = returnKind;
            Parameters = parameters;
        }

        public string Mode { get; }
        public string? Description { get; }
        public string? ScriptName { get; }
        /// <summary>Fully qualified containing type, <c>global::</c> prefixed.</summary>
        public string TypeName { get; }
        public string MethodName { get; }
        public bool IsStatic { get; }
        public EntryReturnKind ReturnKind { get; }
        public EquatableArray<EntryParameterKind> Parameters { get; }

        /// <summary>Orders entries of one mode as the analyzers do (<see cref="ModeNames.SortKey"/>): Main keeps the first.</summary>
        public string SortKey { get; }

        public bool Equals(EntryModel? other) =>
            other != null && Mode == other.Mode && Description == other.Description && ScriptName == other.ScriptName
            && TypeName == other.TypeName && MethodName == other.MethodName && IsStatic == other.IsStatic
            && ReturnKind == other.ReturnKind && Parameters.Equals(other.Parameters) && SortKey == other.SortKey;

        public override bool Equals(object? obj) => Equals(obj as EntryModel);

        public override int GetHashCode()
        {
            var h = HashCombiner.Combine(17, Mode);
            h = HashCombiner.Combine(h, Description);
            h = HashCombiner.Combine(h, ScriptName);
            h = HashCombiner.Combine(h, TypeName);
            h = HashCombiner.Combine(h, MethodName);
            h = HashCombiner.Combine(h, IsStatic);
            h = HashCombiner.Combine(h, (int)ReturnKind);
            h = HashCombiner.Combine(h, SortKey);
            return HashCombiner.Combine(h, Parameters);
        }
    }
}
