using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AgentScript.Benchmarks.Infrastructure;

/// <summary>Facts about this machine for the doc header.</summary>
public static class MachineInfo
{
    public static string Cpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null)
            {
                return line[(line.IndexOf(':') + 1)..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    public static string MemoryTotal()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
            if (line is not null)
            {
                var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
                return $"{kb / 1024 / 1024.0:0.0} GB";
            }
        }
        catch (IOException) { }
        return "unknown";
    }

    public static string Sdk() => Shell.Capture("dotnet", "--version")?.Trim() ?? "unknown";

    public static string Describe() =>
        $"{Environment.ProcessorCount} cores ({Cpu()}), {MemoryTotal()} RAM, {RuntimeInformation.OSDescription}, " +
        $".NET SDK {Sdk()}, runtime {RuntimeInformation.FrameworkDescription}";
}

/// <summary>Runs a process and captures its output.</summary>
public static class Shell
{
    public static string? Capture(string file, string args, string? workDir = null, IDictionary<string, string>? env = null, int timeoutMs = 600_000)
    {
        var (code, output) = Run(file, args, workDir, env, timeoutMs);
        return code == 0 ? output : null;
    }

    public static (int Code, string Output) Run(string file, string args, string? workDir = null, IDictionary<string, string>? env = null, int timeoutMs = 600_000)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? Environment.CurrentDirectory,
        };
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
