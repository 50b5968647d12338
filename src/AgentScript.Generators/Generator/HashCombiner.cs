namespace AgentScript.Generators.Generator
{
    /// <summary>Hash combining for the pipeline models (netstandard2.0 has no System.HashCode).</summary>
    internal static class HashCombiner
    {
        public static int Combine(int seed, object? value) =>
            unchecked(seed * 31 + (value == null ? 0 : value.GetHashCode()));
    }
}
