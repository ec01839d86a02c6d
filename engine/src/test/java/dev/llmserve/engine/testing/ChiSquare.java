package dev.llmserve.engine.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Pearson's chi-square goodness-of-fit test of observed counts against exact probabilities. Cells
 * expecting fewer than {@link #MIN_EXPECTED} observations are pooled into one (the usual rule for
 * the chi-square approximation to hold).
 */
public final class ChiSquare {

    public static final double MIN_EXPECTED = 5;

    /** The statistic, its degrees of freedom and the probability of a statistic at least this large. */
    public record Result(double statistic, int degreesOfFreedom, double pValue) {
        @Override
        public String toString() {
            return String.format("chi2 = %.1f, df = %d, p = %.3g", statistic, degreesOfFreedom, pValue);
        }
    }

    private ChiSquare() {}

    public static Result test(long[] observed, double[] probabilities) {
        long total = 0;
        for (long o : observed) {
            total += o;
        }
        List<double[]> cells = new ArrayList<>(); // {observed, expected}
        double pooledObserved = 0;
        double pooledExpected = 0;
        for (int i = 0; i < observed.length; i++) {
            double expected = probabilities[i] * total;
            if (expected < MIN_EXPECTED) {
                pooledObserved += observed[i];
                pooledExpected += expected;
            } else {
                cells.add(new double[] {observed[i], expected});
            }
        }
        if (pooledExpected > 0 || pooledObserved > 0) {
            cells.add(new double[] {pooledObserved, pooledExpected});
        }
        double statistic = 0;
        for (double[] cell : cells) {
            double d = cell[0] - cell[1];
            // An observation where nothing may fall is an infinitely bad fit.
            statistic += cell[1] == 0 ? (cell[0] == 0 ? 0 : Double.POSITIVE_INFINITY) : d * d / cell[1];
        }
        int df = cells.size() - 1;
        return new Result(statistic, df, upperTail(statistic, df));
    }

    /** P(X ≥ x) for X ~ chi-square(df): the regularized upper incomplete gamma Q(df/2, x/2). */
    static double upperTail(double x, int df) {
        if (Double.isInfinite(x)) {
            return 0;
        }
        double a = df / 2.0;
        double z = x / 2;
        if (z <= 0) {
            return 1;
        }
        return z < a + 1 ? 1 - lowerSeries(a, z) : upperContinuedFraction(a, z);
    }

    /** P(a, z) by its series (converges fast for z < a + 1). */
    private static double lowerSeries(double a, double z) {
        double term = 1 / a;
        double sum = term;
        for (int n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
            term *= z / (a + n);
            sum += term;
        }
        return sum * Math.exp(-z + a * Math.log(z) - logGamma(a));
    }

    /** Q(a, z) by Lentz's continued fraction (for z ≥ a + 1). */
    private static double upperContinuedFraction(double a, double z) {
        double tiny = 1e-300;
        double b = z + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < tiny ? tiny : d;
            c = b + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return Math.exp(-z + a * Math.log(z) - logGamma(a)) * h;
    }

    /** Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for a > 0. */
    private static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        x -= 1;
        double sum = c[0];
        for (int i = 1; i < 9; i++) {
            sum += c[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
