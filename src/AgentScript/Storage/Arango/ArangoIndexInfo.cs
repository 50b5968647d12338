namespace AgentScript.Storage.Arango;

/// <summary>What the server answered for an index.</summary>
/// <param name="Id"><c>collection/number</c>.</param>
/// <param name="Name">Index name.</param>
/// <param name="Type">Index type.</param>
/// <param name="Fields">Indexed attributes.</param>
/// <param name="IsNewlyCreated">False when an identical index existed.</param>
internal sealed record ArangoIndexInfo(string Id, string Name, string Type, IReadOnlyList<string> Fields, bool IsNewlyCreated);
