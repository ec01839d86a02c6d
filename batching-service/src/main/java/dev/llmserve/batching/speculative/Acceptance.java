package dev.llmserve.batching.speculative;

/**
 * How one sequence's drafts fare: the running acceptance rate that moves its γ, and the draft
 * tokens accepted and rejected in all (its usage reports them when it finishes).
 *
 * <p>Adaptive γ: {@code r} is an exponentially weighted mean of each verification's accepted /
 * proposed, the newest weighing {@value #NEWEST_WEIGHT}, starting at 1. If every draft token is
 * accepted independently with probability r, a verification accepts r / (1 − r) tokens on average
 * before the first rejection, so γ = 1 + round(r / (1 − r)), clamped to [1, maxGamma]: r = 0.5 gives 2,
 * r = 0.67 gives 3, r = 0.75 gives 4, r = 0.8 gives 5; r ≤ 0.33 gives 1. Starting at r = 1 lets a new
 * sequence try the full γ. With adaptation off, γ = maxGamma.
 */
final class Acceptance {

    static final double NEWEST_WEIGHT = 0.25;

    private final int maxGamma;
    private final boolean adaptive;
    private double acceptanceRate = 1;
    private int proposedTokens;
    private int acceptedTokens;

    Acceptance(int maxGamma, boolean adaptive) {
        if (maxGamma < 1) {
            throw new IllegalArgumentException("γ must be at least 1, got " + maxGamma);
        }
        this.maxGamma = maxGamma;
        this.adaptive = adaptive;
    }

    /** Draft tokens to propose in the next step, before the scheduler's caps (budget, blocks, max tokens). */
    int gamma() {
        if (!adaptive || acceptanceRate >= 1) {
            return maxGamma;
        }
        long expectedRun = Math.round(acceptanceRate / (1 - acceptanceRate));
        return (int) Math.max(1, Math.min(maxGamma, 1 + expectedRun));
    }

    /** The running acceptance rate r (1 before the first verification). */
    double acceptanceRate() {
        return acceptanceRate;
    }

    /** A verification accepted {@code accepted} of {@code proposed} draft tokens. */
    void verified(int proposed, int accepted) {
        proposedTokens += proposed;
        acceptedTokens += accepted;
        if (proposed > 0) {
            acceptanceRate += NEWEST_WEIGHT * ((double) accepted / proposed - acceptanceRate);
        }
    }

    /** Draft tokens the verifications of this sequence accepted, in all. */
    int acceptedTokens() {
        return acceptedTokens;
    }

    /** Draft tokens proposed to this sequence's verifications and rejected, in all. */
    int rejectedTokens() {
        return proposedTokens - acceptedTokens;
    }
}
