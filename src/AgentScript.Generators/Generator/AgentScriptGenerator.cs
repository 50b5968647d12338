using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AgentScript.Generators.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentScript.Generators.Generator
{
    /// <summary>
    /// Writes the program around a script: a <c>Main</c> over <c>ScriptHost</c> with one typed adapter per
    /// <c>[AgentScript]</c> entry, and a C# interceptor with a trace span for every call of a <c>[Traced]</c> method.
    /// Reports no diagnostics: unsupported shapes are skipped here and reported by the analyzers.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class AgentScriptGenerator : IIncrementalGenerator
    {
        /// <summary>Hint name of the generated entry point.</summary>
        public const string ProgramHintName = "AgentScript.Program.g.cs";

        /// <summary>Hint name of the generated interceptors.</summary>
        public const string InterceptorsHintName = "AgentScript.Traced.g.cs";

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var entries = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    WellKnownNames.AgentScriptAttribute,
                    static (node, _) => node is MethodDeclarationSyntax,
                    static (ctx, ct) => EntryReader.Read(ctx, ct))
                .WithTrackingName(TrackingNames.Entries)
                .Where(static e => e != null)
                .Select(static (e, _) => e!)
                .WithTrackingName(TrackingNames.SupportedEntries)
                .Collect()
                .WithTrackingName(TrackingNames.CollectedEntries);

            var loggingHooks = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    WellKnownNames.LoggingAttribute,
                    static (node, _) => node is MethodDeclarationSyntax,
                    static (ctx, _) => EntryReader.ReadLoggingHook(ctx))
                .WithTrackingName(TrackingNames.LoggingHooks)
                .Collect()
                .WithTrackingName(TrackingNames.CollectedLoggingHooks);

            var assemblyName = context.CompilationProvider
                .Select(static (c, _) => c.AssemblyName ?? "script")
                .WithTrackingName(TrackingNames.AssemblyName);

            var program = entries
                .Combine(loggingHooks)
                .Combine(assemblyName)
                .Select(static (input, ct) => BuildProgram(input.Left.Left, input.Left.Right, input.Right, ct))
                .WithTrackingName(TrackingNames.Program);

            context.RegisterSourceOutput(program, static (spc, model) =>
            {
                if (model == null)
                    return;
                spc.AddSource(ProgramHintName, ProgramEmitter.Emit(model, spc.CancellationToken));
            });

            var tracedCalls = context.SyntaxProvider
                .CreateSyntaxProvider(
                    static (node, _) => node is InvocationExpressionSyntax,
                    static (ctx, ct) => TracedCallReader.Read(ctx, ct))
                .WithTrackingName(TrackingNames.TracedCalls)
                .Where(static c => c != null)
                .Select(static (c, _) => c!)
                .WithTrackingName(TrackingNames.SupportedTracedCalls)
                .Collect()
                .WithTrackingName(TrackingNames.CollectedTracedCalls);

            // Interceptors are file-local classes (C# 11); with an older LangVersion none are written and AGS013 says why.
            var interceptorsSupported = context.ParseOptionsProvider
                .Select(static (o, _) => !(o is CSharpParseOptions p) || (int)p.LanguageVersion >= TracedShapes.MinimumLanguageVersion * 100)
                .WithTrackingName(TrackingNames.InterceptorsSupported);

            context.RegisterSourceOutput(tracedCalls.Combine(interceptorsSupported), static (spc, input) =>
            {
                var (calls, supported) = input;
                if (calls.IsDefaultOrEmpty || !supported)
                    return;
                spc.AddSource(InterceptorsHintName, InterceptorEmitter.Emit(calls, spc.CancellationToken));
            });
        }

        private static ProgramModel? BuildProgram(ImmutableArray<EntryModel> entries, ImmutableArray<LoggingHookModel?> hooks,
            string assemblyName, CancellationToken cancellationToken)
        {
            if (entries.IsDefaultOrEmpty)
                return null;

            // One entry per mode: a duplicate is analyzer error AGS002, which names the entry kept here (the first in
            // ModeNames.SortKey order); the adapters are then written in mode order.
            var chosen = entries
                .GroupBy(e => e.Mode, ModeNames.Comparer)
                .Select(g => g.OrderBy(e => e.SortKey, ModeNames.SortKeyComparer).First())
                .OrderBy(e => e.Mode, StringComparer.Ordinal)
                .ToList();
            cancellationToken.ThrowIfCancellationRequested();

            var hook = hooks.Where(h => h != null)
                .OrderBy(h => LoggingHookShape.SortKey(h!.TypeName, h.MethodName), StringComparer.Ordinal)
                .FirstOrDefault();
            return new ProgramModel(assemblyName, chosen.ToEquatableArray(), hook);
        }
    }
}
