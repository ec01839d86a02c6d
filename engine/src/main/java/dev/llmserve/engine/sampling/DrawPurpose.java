package dev.llmserve.engine.sampling;

/**
 * What a uniform of one output position is drawn for. Each purpose is an independent stream of
 * (seed, output index), which speculative decoding needs: the draft's draw of a token, the test
 * that accepts it and the draw that replaces it must not share randomness (Leviathan et al. 2023).
 */
public enum DrawPurpose {
    /** Sampling a token: plain decoding, a draft's proposal, a verification's bonus token. */
    SAMPLE,
    /** The uniform r of the acceptance test r · q(x) &lt; p(x). */
    ACCEPT,
    /** The draw from norm(max(0, p − q)) after a rejection. */
    RESIDUAL
}
