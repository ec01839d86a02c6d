package dev.llmserve.engine.bench;

import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import java.util.Arrays;

/**
 * One sequence of a decode loop: its prompt, its block table (covering prompt + new tokens; a draft
 * model uses the same table on its own cache) and how it samples.
 */
public record DecodeSequence(long id, int[] prompt, int[] blockTable, SamplingParams params, long seed) {

    /** The sampling row of output position {@code outputIndex}, after {@code output[0..outputIndex)}. */
    SamplingRow row(int[] output, int outputIndex) {
        TokenHistory history = params.usesPenalties()
                ? new TokenHistory(prompt, Arrays.copyOf(output, outputIndex)) : TokenHistory.EMPTY;
        return new SamplingRow(params, history, seed, outputIndex);
    }
}
