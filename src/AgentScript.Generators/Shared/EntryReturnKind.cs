namespace AgentScript.Generators.Shared
{
    /// <summary>How an entry returns (and whether it has a final response).</summary>
    internal enum EntryReturnKind
    {
        Void,
        Value,
        Task,
        TaskOfT,
        ValueTask,
        ValueTaskOfT,
    }
}
