package dev.llmserve.engine.sampling;

/**
 * One row of a batch to sample: its parameters, its history (for penalties), and where it is in its
 * output. The random draw for a row depends only on {@code seed} and {@code outputIndex}, so the same
 * seed gives the same tokens whatever else shares the batch.
 */
public record SamplingRow(SamplingParams params, TokenHistory history, long seed, int outputIndex) {}
