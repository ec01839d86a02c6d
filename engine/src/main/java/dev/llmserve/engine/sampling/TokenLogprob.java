package dev.llmserve.engine.sampling;

/** A token and its log-probability. */
public record TokenLogprob(int tokenId, float logprob) {}
