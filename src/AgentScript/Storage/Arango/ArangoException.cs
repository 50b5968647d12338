namespace AgentScript.Storage.Arango;

/// <summary>
/// An ArangoDB request failed. <see cref="Exception.Message"/> names the HTTP code, the <c>errorNum</c>, the
/// server's message and what to do about it; it never contains a password.
/// </summary>
internal class ArangoException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ArangoException(ArangoErrorKind kind, int code, int errorNum, string serverMessage, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Code = code;
        ErrorNum = errorNum;
        ServerMessage = serverMessage;
    }

    /// <summary>The failure category.</summary>
    public ArangoErrorKind Kind { get; }

    /// <summary>HTTP status code (0 when no response arrived).</summary>
    public int Code { get; }

    /// <summary>ArangoDB's <c>errorNum</c> (0 when no response arrived).</summary>
    public int ErrorNum { get; }

    /// <summary>The server's <c>errorMessage</c> (or the transport error's message).</summary>
    public string ServerMessage { get; }

    /// <summary>
    /// The connection broke after the request may have reached the server: a write may or may not have been applied.
    /// Idempotent writes (keyed inserts, UPSERTs) are simply sent again later; nothing else is repeated.
    /// </summary>
    public bool MayHaveApplied { get; init; }

    /// <summary>True for failures worth retrying later (<see cref="ArangoErrorKind.Unavailable"/> and timeouts).</summary>
    public bool IsTransient => Kind is ArangoErrorKind.Unavailable or ArangoErrorKind.Timeout;

    /// <summary>Maps an HTTP status and <c>errorNum</c> to a kind.</summary>
    public static ArangoErrorKind Classify(int code, int errorNum) => (code, errorNum) switch
    {
        (_, var n) when ArangoRetryPolicy.IsTransientErrorNum(n) => ArangoErrorKind.Unavailable,
        (503, _) or (403, 1004) => ArangoErrorKind.Unavailable,
        (410, _) => ArangoErrorKind.Cancelled,
        (_, 1202 or 1203 or 1228 or 1600 or 1924 or 1205) => ArangoErrorKind.NotFound,
        (_, 1207 or 1210 or 1925 or 1921) => ArangoErrorKind.Conflict,
        (_, 1620) => ArangoErrorKind.Validation,
        (_, >= 1500 and < 1600) => ArangoErrorKind.Parse,
        (401, _) or (403, _) => ArangoErrorKind.Unauthorized,
        (404, _) => ArangoErrorKind.NotFound,
        (409, _) => ArangoErrorKind.Conflict,
        _ => ArangoErrorKind.Other,
    };

    /// <summary>What a user should do about a failure of this kind (one sentence).</summary>
    public static string Advice(ArangoErrorKind kind, int errorNum) => kind switch
    {
        ArangoErrorKind.NotFound when errorNum is 1203 or 1228 or 1924 =>
            "Create the schema with `agentlog init` (or check ARANGO_DATABASE and the collection name in the query).",
        ArangoErrorKind.NotFound when errorNum == 1600 =>
            "The cursor expired or belongs to another coordinator; run the query again.",
        ArangoErrorKind.NotFound => "Check the key or name; the item does not exist.",
        ArangoErrorKind.Conflict => "The item exists already or was changed concurrently; use another name/key or retry.",
        ArangoErrorKind.Parse => "Fix the AQL text or its bind parameters (see the position in the server's message).",
        ArangoErrorKind.Unauthorized => "Check ARANGO_USERNAME and ARANGO_PASSWORD and the user's permissions on the database.",
        ArangoErrorKind.Validation => "The document does not match the collection's schema; check the field types.",
        ArangoErrorKind.Unavailable => "The server is down, starting or short of replicas; it is retried automatically — start it with `docker compose up -d` if it stays down.",
        ArangoErrorKind.Timeout => "Raise ARANGO_TIMEOUT or make the query cheaper (add filters or a LIMIT).",
        ArangoErrorKind.Cancelled =>
            "The server stopped the work (a killed query, a cancelled request or an aborted transaction); run it again if that was not intended.",
        _ => "See the ArangoDB error codes page for this errorNum.",
    };
}
