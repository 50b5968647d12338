// Job: the widely used secret token formats, one definition for the runtime's redaction and the AGS009 analyzer.
// Compiled into both AgentScript and AgentScript.Generators (linked), so it stays netstandard2.0-friendly.
namespace AgentScript.Sanitizing
{
    /// <summary>
    /// Secret tokens recognisable by their format whatever they are called: JWTs, GitHub tokens, OpenAI/Anthropic keys,
    /// AWS access key ids, Slack tokens and private-key PEM blocks.
    /// </summary>
    internal static class SecretTokenFormats
    {
        /// <summary>Substrings every format contains (ordinal): text without one of them holds no token.</summary>
        public static readonly string[] Triggers = { "eyJ", "sk-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "AKIA", "ASIA", "xox", "-----BEGIN" };

        /// <summary>The formats as one regular expression (culture-invariant, case-sensitive).</summary>
        public const string Pattern =
            @"eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*|\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})|\bsk-(?:ant-|proj-)?[A-Za-z0-9_\-]{16,}|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|\bxox[abposr]-[A-Za-z0-9\-]{10,}|-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z ]*PRIVATE KEY-----|$)";
    }
}
