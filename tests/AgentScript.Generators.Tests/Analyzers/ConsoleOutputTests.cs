using AgentScript.CodeFixes;
using AgentScript.Generators.Analyzers;

namespace AgentScript.Generators.Tests.Analyzers;

public class ConsoleOutputTests
{
    [Fact]
    public Task Console_writes_are_reported() => AnalyzerVerifier.AnalyzeAsync<ConsoleOutputAnalyzer>("""
        using System;
        class Script
        {
            void Run(int n)
            {
                {|AGS005:Console.WriteLine("start")|};
                {|AGS005:Console.Write(n)|};
                {|AGS005:Console.Out.WriteLine("x")|};
                {|AGS005:Console.Error.Write("oops")|};
            }
        }
        """);

    [Fact]
    public Task Raw_console_streams_are_reported() => AnalyzerVerifier.AnalyzeAsync<ConsoleOutputAnalyzer>("""
        using System;
        class Script
        {
            void Run()
            {
                using var raw = {|AGS005:Console.OpenStandardOutput()|};
                using var err = {|AGS005:System.Console.OpenStandardError()|};
                using var input = Console.OpenStandardInput();
                Console.Out.Flush();
                var encoding = Console.Out.Encoding;
            }
        }
        """);

    [Fact]
    public Task Similar_calls_that_do_not_write_to_the_console_are_fine() => AnalyzerVerifier.AnalyzeAsync<ConsoleOutputAnalyzer>("""
        using System;
        using System.IO;
        class Console2 { public static void WriteLine(string s) { } }
        class Script
        {
            void Run(TextWriter writer, StringWriter buffer)
            {
                writer.WriteLine("to a file");
                buffer.Write("to memory");
                Console2.WriteLine("not System.Console");
                var key = Console.ForegroundColor;
                Serilog.Log.Information("logged");
            }
        }
        """);

    [Fact]
    public Task Fix_replaces_console_writes_with_Serilog_calls_and_fixes_all() => AnalyzerVerifier.FixAsync<ConsoleOutputAnalyzer, ConsoleOutputCodeFix>("""
        using System;
        using Serilog;
        class Script
        {
            void Run(int count, string name)
            {
                {|AGS005:Console.WriteLine("Starting {now}")|};
                {|AGS005:Console.WriteLine($"Read {count} rows for {name}")|};
                {|AGS005:Console.WriteLine(count)|};
                {|AGS005:Console.Error.WriteLine("Failed: " + name)|};
            }
        }
        """, """
        using System;
        using Serilog;
        class Script
        {
            void Run(int count, string name)
            {
                Log.Information("Starting {{now}}");
                Log.Information("Read {Count} rows for {Name}", count, name);
                Log.Information("{Count}", count);
                Log.Error("Failed: {Name}", name);
            }
        }
        """);

    [Fact]
    public Task Fix_qualifies_Log_when_Serilog_is_not_imported() => AnalyzerVerifier.FixAsync<ConsoleOutputAnalyzer, ConsoleOutputCodeFix>("""
        class Script
        {
            void Run(int count) => {|AGS005:System.Console.WriteLine(count)|};
        }
        """, """
        using Serilog;

        class Script
        {
            void Run(int count) => Log.Information("{Count}", count);
        }
        """);
}
