namespace AgentScript.Configuration;

/// <summary>
/// A configuration value is invalid. The message names the variable, what is wrong with the value and the
/// accepted values; it never contains a password.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="variable">The variable (or <c>.env</c> line) at fault.</param>
    /// <param name="message">The full message.</param>
    public ConfigurationException(string variable, string message) : base(message)
    {
        Variable = variable;
    }

    /// <summary>The variable at fault, for example <c>LOG_BATCH_SIZE</c>.</summary>
    public string Variable { get; }
}
