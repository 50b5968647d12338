namespace AgentScript.Storage;

/// <summary>
/// The store cannot be reached or written right now (locked, unwritable, connection refused, 503). Writes that
/// fail with it are buffered and retried; queries report it to the user with <see cref="Exception.Message"/>,
/// which names the store location and the fix but never a password.
/// </summary>
public class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
