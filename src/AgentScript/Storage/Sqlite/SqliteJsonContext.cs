using System.Text.Json.Serialization;

namespace AgentScript.Storage.Sqlite;

/// <summary>Source-generated JSON for the few values the store serialises (bound as JSON array parameters).</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
