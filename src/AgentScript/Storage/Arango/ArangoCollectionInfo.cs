namespace AgentScript.Storage.Arango;

/// <summary>A collection as the server describes it.</summary>
/// <param name="Name">Name.</param>
/// <param name="IsEdge">Type 3.</param>
/// <param name="HasSchema">A JSON-schema rule is set.</param>
/// <param name="KeyType">The key generator.</param>
internal sealed record ArangoCollectionInfo(string Name, bool IsEdge, bool HasSchema, string? KeyType);
