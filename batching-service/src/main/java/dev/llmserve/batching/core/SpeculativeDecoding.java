package dev.llmserve.batching.core;

import dev.llmserve.protocol.kafka.GenerationRequest;

/**
 * Speculative decoding as deployed: who drafts, the most draft tokens per step, and whether γ adapts
 * per sequence (see {@link Speculation}). Sampled requests speculate too: the verification's
 * rejection sampling keeps the target's distribution.
 */
public record SpeculativeDecoding(Drafter drafter, int maxGamma, boolean adaptive) {

    public SpeculativeDecoding {
        if (maxGamma < 1) {
            throw new IllegalArgumentException("speculative gamma must be at least 1, got " + maxGamma);
        }
    }

    /**
     * The state a new sequence speculates with, or null when it runs plain: the request opted out
     * ({@code "speculative": false}), or asks for logprobs, which a verification does not return.
     */
    Speculation forRequest(GenerationRequest request) {
        boolean optedOut = Boolean.FALSE.equals(request.speculative());
        boolean wantsLogprobs = request.sampling() != null && request.sampling().logprobs() >= 0;
        return optedOut || wantsLogprobs ? null : new Speculation(maxGamma, adaptive);
    }
}
