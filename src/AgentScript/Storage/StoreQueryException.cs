namespace AgentScript.Storage;

/// <summary>A query was rejected by the store (syntax error, unknown column, write in read-only mode, …).</summary>
public class StoreQueryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreQueryException(string message, Exception? inner = null) : base(message, inner) { }
}
