namespace AgentScript.Storage.Arango;

/// <summary>One item of a multi-document answer, in input order: the stored key, or the item's error.</summary>
/// <param name="Key">The document key (null for a failed item).</param>
/// <param name="Rev">The revision (null for a failed item or an ignored duplicate without one).</param>
/// <param name="ErrorNum">0 on success, else the item's errorNum.</param>
/// <param name="ErrorMessage">The item's error message.</param>
internal sealed record ArangoDocumentResult(string? Key, string? Rev, int ErrorNum, string? ErrorMessage)
{
    /// <summary>The item was stored (or ignored as an existing key under <c>overwriteMode=ignore</c>).</summary>
    public bool Ok => ErrorNum == 0;
}
