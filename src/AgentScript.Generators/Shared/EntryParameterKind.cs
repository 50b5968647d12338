namespace AgentScript.Generators.Shared
{
    /// <summary>What an entry parameter receives from the host.</summary>
    internal enum EntryParameterKind
    {
        CancellationToken,
        ScriptContext,
    }
}
