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

    /// <summary>The median: the middle value, or the mean of the two middle values of an even count.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// A percentile bootstrap interval (<paramref name="level"/>, e.g. 0.9) of <paramref name="statistic"/> over
    /// <paramref name="values"/>: resampled with replacement, a fixed seed so the doc is reproducible from the same data.
    /// </summary>
    public static (double Low, double High) BootstrapInterval(IReadOnlyList<double> values, Func<IReadOnlyList<double>, double> statistic,
        double level = 0.9, int resamples = 5000)
    {
        if (values.Count == 0)
        {
            return (double.NaN, double.NaN);
        }
        var random = new Random(20261207);
        var estimates = new double[resamples];
        var sample = new double[values.Count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = values[random.Next(values.Count)];
            }
            estimates[r] = statistic(sample);
        }
        Array.Sort(estimates);
        var tail = (1 - level) / 2;
        return (estimates[(int)(tail * resamples)], estimates[(int)((1 - tail) * resamples) - 1]);
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
