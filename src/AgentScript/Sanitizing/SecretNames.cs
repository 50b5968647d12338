// The one list of names that mark a secret. Compiled into the runtime (redaction) and, as a linked file, into the
// netstandard2.0 analyzer assembly (AGS009), so both always agree. Keep it free of newer APIs for that reason.
using System;

namespace AgentScript.Sanitizing
{
    /// <summary>
    /// Names of secrets: a name is a secret when, lower-cased with everything but letters and digits removed, it ends
    /// with one of <see cref="Suffixes"/>. <c>db_password</c>, <c>X-Api-Key</c>, <c>AWS_SECRET_ACCESS_KEY</c>,
    /// <c>github_token</c> match; <c>prompt_tokens</c>, <c>TokenCount</c> and <c>TokenType</c> do not.
    /// </summary>
    internal static class SecretNames
    {
        /// <summary>
        /// Suffixes whose value is a secret as a whole. The analyzer reports a literal given to such a name; the runtime
        /// redacts the value stored under it.
        /// </summary>
        public static readonly string[] Suffixes =
        {
            "password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "accesskey", "secretkey", "privatekey",
            "accountkey", "sharedaccesskey", "credential", "credentials", "authorization", "cookie", "sessionid",
            "connectionstring",
        };

        /// <summary>
        /// Suffixes whose value is a container that may or may not hold a secret (a connection string without a password
        /// is not one). The runtime redacts them whole; the analyzer checks their text instead of their name.
        /// </summary>
        public static bool IsContainer(string suffix) => suffix == "connectionstring";

        // The longest suffix: only this many trailing letters/digits of a name decide.
        private const int MaxSuffix = 16;

        /// <summary>True when <paramref name="name"/> names a secret (case- and separator-insensitive). No allocation.</summary>
        public static bool IsSecretName(string? name) => Match(name) != null;

        /// <summary>The suffix <paramref name="name"/> ends with, or null when it names no secret.</summary>
        public static string? Match(string? name)
        {
            if (name == null || name.Length == 0)
                return null;
            var last = name.Length - 1;
            while (last >= 0 && !char.IsLetterOrDigit(name[last]))
                last--;
            if (last < 0)
                return null;
            // Most ordinary names (Step, Count, Url…) end with a letter no suffix ends with: rejected after one character.
            switch (char.ToLowerInvariant(name[last]))
            {
                case 'd': case 'n': case 't': case 'y': case 'e': case 'g': case 'l': case 's':
                    break;
                default:
                    return null;
            }
            foreach (var suffix in Suffixes)
            {
                if (EndsWith(name, last, suffix))
                    return suffix;
            }
            return null;
        }

        /// <summary>Compares the letters and digits of <paramref name="name"/> ending at <paramref name="last"/>, lower-cased, with <paramref name="suffix"/>.</summary>
        private static bool EndsWith(string name, int last, string suffix)
        {
            var j = suffix.Length - 1;
            if (char.ToLowerInvariant(name[last]) != suffix[j])
                return false;
            for (var i = last; i >= 0 && j >= 0; i--)
            {
                var c = name[i];
                if (!char.IsLetterOrDigit(c))
                    continue;
                if (char.ToLowerInvariant(c) != suffix[j])
                    return false;
                j--;
            }
            return j < 0 && suffix.Length <= MaxSuffix;
        }
    }
}
