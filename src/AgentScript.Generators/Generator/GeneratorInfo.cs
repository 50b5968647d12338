using System.Reflection;

namespace AgentScript.Generators.Generator
{
    /// <summary>Name and version written into <c>[GeneratedCode]</c>.</summary>
    internal static class GeneratorInfo
    {
        public const string Name = "AgentScript.Generators";

        public static readonly string Version =
            typeof(GeneratorInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

        public static string GeneratedCodeAttribute =>
            "[global::System.CodeDom.Compiler.GeneratedCode(\"" + Name + "\", \"" + Version + "\")]";

        /// <summary>Escapes a value for a C# regular string literal.</summary>
        public static string Literal(string? value)
        {
            if (value == null)
                return "null";
            var sb = new System.Text.StringBuilder(value.Length + 2);
            sb.Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\0': sb.Append("\\0"); break;
                    default:
                        if (char.IsControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085')
                            sb.Append("\\u").Append(((int)c).ToString("x4"));
                        else
                            sb.Append(c);
                        break;
                }
            }
            sb.Append('"');
            return sb.ToString();
        }
    }
}
