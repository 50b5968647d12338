using System.Diagnostics;

namespace AgentScript.Cli.Tests.Support;

/// <summary>
/// Debian's headless Chromium for checking the HTML report. Installed by the test set-up when absent and running
/// as root (CI): <c>apt-get update &amp;&amp; apt-get install -y chromium</c>, once, under a file lock.
/// </summary>
public static class Chromium
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _path;
    private static string? _whyNot;

    /// <summary>The chromium executable, or a reason it is not available (the test skips with it).</summary>
    public static async Task<(string? Path, string? Reason)> EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_path is not null || _whyNot is not null)
            {
                return (_path, _whyNot);
            }
            _path = Find();
            if (_path is null)
            {
                if (!IsRoot())
                {
                    _whyNot = "chromium is not installed and the tests are not running as root, so they cannot apt-get install it.";
                }
                else
                {
                    await InstallAsync();
                    _path = Find();
                    _whyNot = _path is null ? "chromium could not be installed with apt-get (see the test output)." : null;
                }
            }
            return (_path, _whyNot);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Loads <paramref name="htmlFile"/> headless, saves a screenshot and returns the DOM after scripts ran.</summary>
    public static async Task<string> DumpDomAndScreenshotAsync(string chromium, string htmlFile, string screenshotFile)
    {
        var profile = Directory.CreateTempSubdirectory("agentlog-chromium-");
        try
        {
            string[] common =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars",
            ];
            var url = new Uri(htmlFile).AbsoluteUri;
            var shot = await RunAsync(chromium, [.. common, $"--user-data-dir={profile.FullName}-shot", $"--screenshot={screenshotFile}", "--window-size=1280,2000", url]);
            if (!File.Exists(screenshotFile))
            {
                throw new Xunit.Sdk.XunitException($"chromium made no screenshot (exit {shot.Code}): {shot.Err}");
            }
            var dom = await RunAsync(chromium, [.. common, $"--user-data-dir={profile.FullName}", "--dump-dom", url]);
            if (dom.Code != 0 || dom.Out.Length == 0)
            {
                throw new Xunit.Sdk.XunitException($"chromium --dump-dom failed (exit {dom.Code}): {dom.Err}");
            }
            return dom.Out;
        }
        finally
        {
            foreach (var d in new[] { profile.FullName, profile.FullName + "-shot" })
            {
                try { Directory.Delete(d, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(true);
            throw new Xunit.Sdk.XunitException("chromium did not finish within 2 minutes");
        }
        return (p.ExitCode, await o, await e);
    }

    private static string? Find()
    {
        foreach (var candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool IsRoot() => OperatingSystem.IsLinux() && Environment.UserName == "root";

    private static async Task InstallAsync()
    {
        // A machine-wide lock so that parallel test processes do not run apt-get at the same time.
        var lockPath = Path.Combine(Path.GetTempPath(), "agentscript-chromium-install.lock");
        await using var lockFile = await AcquireAsync(lockPath);
        if (Find() is not null)
        {
            return;
        }
        var psi = new ProcessStartInfo("/bin/sh", ["-c", "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        await o;
        var err = await e;
        if (p.ExitCode != 0)
        {
            TestContext.Current.SendDiagnosticMessage($"apt-get install chromium failed ({p.ExitCode}): {err}");
        }
    }

    private static async Task<FileStream> AcquireAsync(string path)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (i < 600)
            {
                await Task.Delay(1000);
            }
        }
    }
}
