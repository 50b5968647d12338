using System;

namespace AgentScript.Generators.Generator
{
    /// <summary>A <c>[AgentScriptLogging]</c> method the generated <c>Main</c> wires to <c>ScriptManifest.ConfigureLogging</c>.</summary>
    internal sealed class LoggingHookModel : IEquatable<LoggingHookModel>
    {
        public LoggingHookModel(string typeName, string methodName)
        {
            TypeName = typeName;
            MethodName = methodName;
        }

        public string TypeName { get; }
        public string MethodName { get; }

        public bool Equals(LoggingHookModel? other) =>
            other != null && TypeName == other.TypeName && MethodName == other.MethodName;

        public override bool Equals(object? obj) => Equals(obj as LoggingHookModel);

        public override int GetHashCode() => HashCombiner.Combine(HashCombiner.Combine(17, TypeName), MethodName);
    }
}
