package dev.llmserve.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Supplier;

/**
 * Asserts measured differences against their {@link FloatErrorModel} bounds and prints the worst
 * measured/bound ratio, so a test log shows how much room each bound leaves on the machine it ran on
 * ({@code bound <name>: measured …, bound …, ratio …}). One check can gather many comparisons, each
 * with its own bound (an entry's own magnitude, a layer's own term count); the ratio reported is the
 * largest of them.
 */
public final class BoundCheck {

    private final String name;
    private double worstMeasured;
    private double worstBound = Double.NaN;
    private double worstRatio = -1;

    private BoundCheck(String name) {
        this.name = name;
    }

    public static BoundCheck named(String name) {
        return new BoundCheck(name);
    }

    /** One comparison and its report: fails if {@code measured} exceeds {@code bound} (or is NaN). */
    public static void assertWithin(String name, double measured, double bound) {
        named(name).add(measured, bound, () -> name).report();
    }

    /** Adds one comparison; fails at once, naming {@code where}, if {@code measured} exceeds {@code bound} or is NaN. */
    public BoundCheck add(double measured, double bound, Supplier<String> where) {
        if (!(measured <= bound)) {
            fail(String.format("%s: %s: measured %.4g exceeds the bound %.4g", name, where.get(), measured, bound));
        }
        double ratio = bound == 0 ? 0 : measured / bound;
        if (ratio > worstRatio) {
            worstRatio = ratio;
            worstMeasured = measured;
            worstBound = bound;
        }
        return this;
    }

    /** Prints the worst comparison; to be called once all are added. */
    public void report() {
        System.out.printf("bound %s: measured %.3g, bound %.3g, ratio %.3f%n", name, worstMeasured, worstBound,
                Math.max(worstRatio, 0));
    }
}
