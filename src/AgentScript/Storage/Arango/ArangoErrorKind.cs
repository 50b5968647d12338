namespace AgentScript.Storage.Arango;

/// <summary>What kind of failure an <see cref="ArangoException"/> reports; decides retry and the hint shown.</summary>
internal enum ArangoErrorKind
{
    /// <summary>Any other error the server reported.</summary>
    Other,
    /// <summary>A database, collection, view, document, graph or cursor does not exist (404, errorNum 1202/1203/1228/1600/1924).</summary>
    NotFound,
    /// <summary>A name or key exists already, or a write conflicted (409, errorNum 1200/1207/1210/1925).</summary>
    Conflict,
    /// <summary>The AQL text or its bind parameters are wrong (errorNum 1501/1502/1551/1552 …).</summary>
    Parse,
    /// <summary>The credentials were refused (401, or 403 without a write-concern cause).</summary>
    Unauthorized,
    /// <summary>The document failed the collection's JSON schema (errorNum 1620).</summary>
    Validation,
    /// <summary>The server could not be reached or asked to retry later (connection error, 503, 410, 403 + 1004).</summary>
    Unavailable,
    /// <summary>The request did not finish within <c>ArangoOptions.RequestTimeout</c>.</summary>
    Timeout,
}
