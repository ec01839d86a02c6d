package dev.llmserve.batching.speculative;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The adaptive γ rule: γ = 1 + round(r / (1 − r)) within [1, maxGamma], r the running acceptance rate. */
class AcceptanceTest {

    @Test
    void startsAtTheFullGammaAndFollowsTheAcceptanceRate() {
        Acceptance s = new Acceptance(4, true);
        assertEquals(4, s.gamma(), "a new sequence tries the full γ");

        for (int i = 0; i < 6; i++) {
            s.verified(4, 0);
        }
        assertEquals(1, s.gamma(), "nothing accepted: one draft per step");

        for (int i = 0; i < 20; i++) {
            s.verified(2, 1);
        }
        // an exponentially weighted mean moving toward a constant c: r_n = c + (r_0 − c)·(1 − w)^n, here from
        // r = 1 to 0 in 6 steps and then to 0.5 in 20. Each of the 26 updates rounds (in double) at most 3 times,
        // and this closed form 5 times, each by at most an ulp of 1
        double w = Acceptance.NEWEST_WEIGHT;
        double expected = 0.5 + (Math.pow(1 - w, 6) - 0.5) * Math.pow(1 - w, 20);
        assertEquals(expected, s.acceptanceRate(), (26 * 3 + 5) * Math.ulp(1.0));
        assertEquals(2, s.gamma(), "r = 0.5: a run of 1 expected, propose 2");

        for (int i = 0; i < 30; i++) {
            s.verified(3, 3);
        }
        assertEquals(4, s.gamma(), "everything accepted: back to the full γ");
    }

    @Test
    void totalsTheDraftTokensAcceptedAndRejected() {
        Acceptance s = new Acceptance(4, true);
        s.verified(4, 4);
        s.verified(3, 1);
        s.verified(2, 0);
        assertEquals(5, s.acceptedTokens());
        assertEquals(4, s.rejectedTokens());
    }

    @Test
    void aFixedGammaIgnoresTheAcceptanceRate() {
        Acceptance s = new Acceptance(3, false);
        s.verified(3, 0);
        s.verified(3, 0);
        assertEquals(3, s.gamma());
    }
}
