using System.Globalization;
using AgentScript.Benchmarks.Infrastructure;

namespace AgentScript.Benchmarks.Generator;

/// <summary>
/// <c>-- wholebuild-probe [rounds] [files] [warm-up rounds] [--keep]</c>: the whole-build measurement of the generator section on one project,
/// with as many rounds as asked, printing every build and the estimators side by side (median share, median of the
/// per-round paired differences, best-of share). For studying the noise of the target figure; writes no doc.
/// </summary>
internal static class WholeBuildProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var files = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var b = await WholeBuild.MeasureAsync($"{files}-file project", SyntheticProject.Generate(files), rounds, keep: args.Contains("--keep"),
            warmupRounds: args.Length > 2 && !args[2].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1);
        if (b.Errors.Count > 0)
        {
            Console.Error.WriteLine(string.Join(Environment.NewLine, b.Errors));
            return 1;
        }
        Console.WriteLine("round  wall with  wall without  csc with  csc without");
        for (var i = 0; i < b.WallWith.Count; i++)
            Console.WriteLine($"{i + 1,5}  {b.WallWith[i],9:F0}  {b.WallWithout[i],12:F0}  {b.CscWith[i],8:F0}  {b.CscWithout[i],11:F0}");
        foreach (var (label, with, without) in new[] { ("wall", b.WallWith, b.WallWithout), ("csc", b.CscWith, b.CscWithout) })
        {
            var median = Stats.Median(with) / Stats.Median(without) - 1;
            var (paired, low, high) = WholeBuild.PairedShare(with, without);
            var best = with.Min() / without.Min() - 1;
            Console.WriteLine($"{label}: median share {median:P1}; paired share {paired:P1} (90 % interval {low:P1} … {high:P1}); best-of {best:P1}");
        }
        foreach (var line in b.Reports.SelectMany(r => r))
            Console.WriteLine("  " + line);
        return 0;
    }
}
