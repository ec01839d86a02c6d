package dev.llmserve.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The tail probabilities the speculative sampling test relies on, against tabulated values. */
class ChiSquareTest {

    @Test
    void upperTailMatchesTables() {
        assertEquals(0.05, ChiSquare.upperTail(3.841, 1), 1e-4);
        assertEquals(0.001, ChiSquare.upperTail(10.828, 1), 1e-5);
        assertEquals(0.05, ChiSquare.upperTail(18.307, 10), 1e-4);
        assertEquals(0.001, ChiSquare.upperTail(29.588, 10), 1e-5);
        assertEquals(0.001, ChiSquare.upperTail(149.449, 100), 1e-5);
        assertEquals(0.5, ChiSquare.upperTail(99.334, 100), 1e-3);
    }

    @Test
    void countsThatFollowTheProbabilitiesFitAndOthersDoNot() {
        double[] p = {0.5, 0.3, 0.2};
        assertEquals(0, ChiSquare.test(new long[] {500, 300, 200}, p).statistic(), 1e-12);
        assertEquals(true, ChiSquare.test(new long[] {600, 250, 150}, p).pValue() < 1e-6);
    }
}
