package dev.llmserve.engine.sampling;

import java.util.Arrays;

/**
 * One row of a batch to sample: its parameters, its history (for penalties), and where it is in its
 * output. The random draw for a row depends only on {@code seed} and {@code outputIndex}, so the same
 * seed gives the same tokens whatever else shares the batch.
 */
public record SamplingRow(SamplingParams params, TokenHistory history, long seed, int outputIndex) {

    /**
     * The row for the output position after {@code tokens[from..to)} were emitted: the output index
     * moves on by their count and, when a penalty reads the history, they join its output tokens.
     * Speculative decoding scores several positions of one sequence at once with it.
     */
    public SamplingRow after(int[] tokens, int from, int to) {
        if (from == to) {
            return this;
        }
        TokenHistory extended = history;
        if (params.usesPenalties()) {
            int[] output = history.outputTokens();
            int[] joined = Arrays.copyOf(output, output.length + to - from);
            System.arraycopy(tokens, from, joined, output.length, to - from);
            extended = new TokenHistory(history.promptTokens(), joined);
        }
        return new SamplingRow(params, extended, seed, outputIndex + to - from);
    }
}
