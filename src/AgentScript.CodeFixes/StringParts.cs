using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentScript.CodeFixes
{
    /// <summary>One piece of a string built at run time: literal text, or a value (with its format and alignment).</summary>
    internal sealed class StringPart
    {
        public StringPart(string text) => Text = text;

        public StringPart(ExpressionSyntax value, string? alignment, string? format)
        {
            Value = value;
            Alignment = alignment;
            Format = format;
        }

        public string? Text { get; }
        public ExpressionSyntax? Value { get; }
        public string? Alignment { get; }
        public string? Format { get; }
    }

    /// <summary>Splits an interpolated string or a string concatenation into text and values (shared by the AGS011/AGS012 fixes).</summary>
    internal static class StringParts
    {
        public static List<StringPart>? Split(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
        {
            while (expression is ParenthesizedExpressionSyntax parenthesized)
                expression = parenthesized.Expression;
            var parts = new List<StringPart>();
            if (expression is InterpolatedStringExpressionSyntax interpolated)
            {
                // In $"…" and $@"…" a literal brace is written twice; raw strings ($"""…""") write it once.
                var doubledBraces = interpolated.StringStartToken.IsKind(SyntaxKind.InterpolatedStringStartToken)
                    || interpolated.StringStartToken.IsKind(SyntaxKind.InterpolatedVerbatimStringStartToken);
                foreach (var content in interpolated.Contents)
                {
                    switch (content)
                    {
                        case InterpolatedStringTextSyntax text:
                            var value = text.TextToken.ValueText;
                            parts.Add(new StringPart(doubledBraces ? value.Replace("{{", "{").Replace("}}", "}") : value));
                            break;
                        case InterpolationSyntax hole:
                            parts.Add(new StringPart(hole.Expression.WithoutTrivia(),
                                hole.AlignmentClause?.Value.ToString(), hole.FormatClause?.FormatStringToken.ValueText));
                            break;
                    }
                }
                return parts;
            }
            if (expression is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.AddExpression))
            {
                Flatten(expression, model, parts, cancellationToken);
                return parts;
            }
            return null;
        }

        private static void Flatten(ExpressionSyntax expression, SemanticModel model, List<StringPart> parts, CancellationToken cancellationToken)
        {
            if (expression is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.AddExpression)
                && model.GetTypeInfo(binary, cancellationToken).Type?.SpecialType == SpecialType.System_String)
            {
                Flatten(binary.Left, model, parts, cancellationToken);
                Flatten(binary.Right, model, parts, cancellationToken);
                return;
            }
            if (expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                parts.Add(new StringPart(literal.Token.ValueText));
                return;
            }
            if (expression is InterpolatedStringExpressionSyntax nested)
            {
                var inner = Split(nested, model, cancellationToken);
                if (inner != null)
                {
                    parts.AddRange(inner);
                    return;
                }
            }
            parts.Add(new StringPart(expression.WithoutTrivia(), null, null));
        }

        /// <summary>A Serilog property name for a value: <c>count</c> → <c>Count</c>, <c>items.Length</c> → <c>Length</c>, <c>GetName()</c> → <c>Name</c>.</summary>
        public static string PropertyName(ExpressionSyntax value)
        {
            string? name = value switch
            {
                IdentifierNameSyntax id => id.Identifier.ValueText,
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                InvocationExpressionSyntax invocation => invocation.Expression switch
                {
                    IdentifierNameSyntax id => id.Identifier.ValueText,
                    MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                    _ => null,
                },
                ElementAccessExpressionSyntax element => element.Expression is IdentifierNameSyntax id ? id.Identifier.ValueText + "Item" : null,
                _ => null,
            };
            if (name == null)
                return "Value";
            name = name.TrimStart('@', '_');
            if (value is InvocationExpressionSyntax && name.Length > 3 && name.StartsWith("Get", System.StringComparison.Ordinal) && char.IsUpper(name[3]))
                name = name.Substring(3);
            if (name.Length == 0 || !char.IsLetter(name[0]))
                return "Value";
            return char.ToUpperInvariant(name[0]) + name.Substring(1);
        }

        /// <summary>Makes <paramref name="name"/> unique among <paramref name="used"/> (Count, Count2, …).</summary>
        public static string Unique(string name, HashSet<string> used)
        {
            var candidate = name;
            for (var i = 2; !used.Add(candidate); i++)
                candidate = name + i;
            return candidate;
        }

        /// <summary>Literal text in a message template: braces are doubled so Serilog keeps them as text.</summary>
        public static string EscapeTemplateText(string text) => text.Replace("{", "{{").Replace("}", "}}");

        /// <summary>The template and its arguments for the parts, or null when there is nothing to convert.</summary>
        public static (string Template, List<ExpressionSyntax> Arguments) ToTemplate(List<StringPart> parts)
        {
            var template = new System.Text.StringBuilder();
            var arguments = new List<ExpressionSyntax>();
            var used = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var part in parts)
            {
                if (part.Value == null)
                {
                    template.Append(EscapeTemplateText(part.Text!));
                    continue;
                }
                template.Append('{').Append(Unique(PropertyName(part.Value), used));
                if (part.Alignment != null)
                    template.Append(',').Append(part.Alignment);
                if (part.Format != null)
                    template.Append(':').Append(part.Format);
                template.Append('}');
                arguments.Add(part.Value);
            }
            return (template.ToString(), arguments);
        }

        public static LiteralExpressionSyntax StringLiteral(string value) =>
            SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value));
    }
}
