using System.Globalization;

namespace AgentScript.Benchmarks.Infrastructure;

/// <summary>Small helpers for percentiles and number formatting.</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        // Nearest-rank: p99 of 100 samples is the 99th value, so one outlier in 100 shows.
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double ms) => ms switch
    {
        double.NaN => "n/a",
        < 1 => ms.ToString("0.000", CultureInfo.InvariantCulture) + " ms",
        < 10 => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        _ => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
    };

    public static string N(double v, string format = "N0") => v.ToString(format, CultureInfo.InvariantCulture);

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    public static string Ratio(double r) => double.IsFinite(r) ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "n/a";
}
