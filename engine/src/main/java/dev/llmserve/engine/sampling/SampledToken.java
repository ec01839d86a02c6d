package dev.llmserve.engine.sampling;

import java.util.List;

/**
 * The chosen token, its log-probability under the model's raw distribution (NaN when logprobs were
 * not asked for) and the requested top alternatives, best first.
 */
public record SampledToken(int tokenId, float logprob, List<TokenLogprob> topLogprobs) {}
