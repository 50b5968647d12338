namespace AgentScript.Storage;

/// <summary>What <see cref="IAgentLogStore.InitializeAsync"/> found or made.</summary>
/// <param name="Kind"><c>sqlite</c> or <c>arangodb</c>.</param>
/// <param name="Location">File path or URL + database (never a password).</param>
/// <param name="SchemaVersion">Schema version now in the store.</param>
/// <param name="Created">True when this call created the schema.</param>
/// <param name="Counts">Row/document count per table/collection.</param>
public sealed record StoreInfo(string Kind, string Location, int SchemaVersion, bool Created, IReadOnlyDictionary<string, long> Counts);
