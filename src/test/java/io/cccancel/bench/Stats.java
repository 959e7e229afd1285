package io.cccancel.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Median, minimum and maximum over fresh JVMs; percentiles within one JVM. */
record Stats(double median, double min, double max) {

    static Stats of(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Stats(percentile(sorted, 50), sorted[0], sorted[sorted.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** "123.4 (110.2-140.9)", with as many decimals as the size of the figures needs. */
    String format() {
        if (Double.isNaN(median)) {
            return "-";
        }
        return fmt(median) + " (" + fmt(min) + "-" + fmt(max) + ")";
    }

    static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        String pattern = value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
