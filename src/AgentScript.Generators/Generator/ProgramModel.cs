using System;

namespace AgentScript.Generators.Generator
{
    /// <summary>Everything the generated <c>Main</c> is written from.</summary>
    internal sealed class ProgramModel : IEquatable<ProgramModel>
    {
        public ProgramModel(string assemblyName, EquatableArray<EntryModel> entries, LoggingHookModel? loggingHook)
        {
            AssemblyName = assemblyName;
            Entries = entries;
            LoggingHook = loggingHook;
        }

        public string AssemblyName { get; }
        public EquatableArray<EntryModel> Entries { get; }
        public LoggingHookModel? LoggingHook { get; }

        public bool Equals(ProgramModel? other) =>
            other != null && AssemblyName == other.AssemblyName && Entries.Equals(other.Entries)
            && Equals(LoggingHook, other.LoggingHook);

        public override bool Equals(object? obj) => Equals(obj as ProgramModel);

        public override int GetHashCode() =>
            HashCombiner.Combine(HashCombiner.Combine(HashCombiner.Combine(17, AssemblyName), Entries), LoggingHook);
    }
}
