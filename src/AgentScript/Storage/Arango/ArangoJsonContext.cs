using System.Text.Json.Serialization;

namespace AgentScript.Storage.Arango;

/// <summary>The error body ArangoDB sends with every failure.</summary>
internal sealed record ArangoErrorBody(
    [property: JsonPropertyName("error")] bool Error,
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("errorNum")] int ErrorNum,
    [property: JsonPropertyName("errorMessage")] string? ErrorMessage);

/// <summary>Body of <c>POST /_open/auth</c>.</summary>
internal sealed record ArangoAuthRequest(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password);

/// <summary>Answer of <c>POST /_open/auth</c>.</summary>
internal sealed record ArangoAuthResponse([property: JsonPropertyName("jwt")] string Jwt);

/// <summary>The claims of a JWT we read (expiry only).</summary>
internal sealed record JwtClaims([property: JsonPropertyName("exp")] long? Exp);

/// <summary>
/// Source-generated serialization for the fixed-shape bodies of the ArangoDB API (no reflection at run time);
/// free-form bodies (documents, bind variables) are built with <see cref="System.Text.Json.Nodes.JsonNode"/>.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ArangoErrorBody))]
[JsonSerializable(typeof(ArangoAuthRequest))]
[JsonSerializable(typeof(ArangoAuthResponse))]
[JsonSerializable(typeof(JwtClaims))]
[JsonSerializable(typeof(ArangoCursorBatch))]
internal sealed partial class ArangoJsonContext : JsonSerializerContext;
