using System.Text.Json.Serialization;
using AgentScript.Storage;

namespace AgentScript.Sink;

/// <summary>Source-generated JSON for the durable buffer, dead-letter and status files (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(StoreWrite))]
[JsonSerializable(typeof(SinkStatus))]
internal sealed partial class SinkJsonContext : JsonSerializerContext;
