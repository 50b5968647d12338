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
    /// <summary>
    /// The server could not be reached, or reported a transient failure that did not apply the request: 503, 403 + 1004
    /// (write concern), 409 + 1200 (write-write conflict), 18 (lock timeout), 1457 (cluster timeout), 1491/1495/1496
    /// (shard leadership changing).
    /// </summary>
    Unavailable,
    /// <summary>The request did not finish within <c>ArangoOptions.RequestTimeout</c>.</summary>
    Timeout,
    /// <summary>
    /// HTTP 410: the server stopped the work on purpose — a killed query (1500), a cancelled request (21) or an aborted
    /// transaction. Not retried: the same request would be stopped again, or the stop was what someone wanted.
    /// </summary>
    Cancelled,
}
