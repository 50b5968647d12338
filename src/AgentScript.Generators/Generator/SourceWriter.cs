using System.Text;

namespace AgentScript.Generators.Generator
{
    /// <summary>A small indented text writer for emitted code (cheaper and more predictable than NormalizeWhitespace).</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _builder = new StringBuilder();
        private int _indent;

        public SourceWriter Line(string text = "")
        {
            if (text.Length > 0)
                _builder.Append(' ', _indent * 4).Append(text);
            _builder.Append('\n');
            return this;
        }

        public SourceWriter Open(string? header = null)
        {
            if (header != null)
                Line(header);
            Line("{");
            _indent++;
            return this;
        }

        public SourceWriter Close(string closing = "}")
        {
            _indent--;
            Line(closing);
            return this;
        }

        public SourceWriter Indent()
        {
            _indent++;
            return this;
        }

        public SourceWriter Unindent()
        {
            _indent--;
            return this;
        }

        public override string ToString() => _builder.ToString();
    }
}
