package dev.llmserve.engine.step;

import java.util.List;

/**
 * Rejects token and block ids outside the model's vocabulary and KV cache, and draft distributions
 * of another size than the vocabulary, before they reach the device, where an out-of-range index is
 * a native error (on CUDA, one that poisons the context) rather than a message. Positions and
 * block-table lengths are checked by StepLayout.
 */
final class StepValidator {

    private final int vocabSize;
    private final int numBlocks;

    StepValidator(int vocabSize, int numBlocks) {
        this.vocabSize = vocabSize;
        this.numBlocks = numBlocks;
    }

    void check(List<SequenceStep> steps) {
        for (SequenceStep s : steps) {
            for (int token : s.tokens()) {
                if (token < 0 || token >= vocabSize) {
                    throw new IllegalArgumentException("sequence " + s.sequenceId() + ": token id " + token
                            + " is outside the vocabulary of " + vocabSize);
                }
            }
            checkBlocks("sequence " + s.sequenceId() + ": block table", s.blockTable());
            if (s.draftProbs() != null) {
                for (float[] q : s.draftProbs()) {
                    if (q.length != vocabSize) {
                        throw new IllegalArgumentException("sequence " + s.sequenceId() + ": a draft distribution"
                                + " has " + q.length + " entries, the vocabulary " + vocabSize);
                    }
                }
            }
        }
    }

    void checkBlocks(String what, int[] blocks) {
        for (int block : blocks) {
            if (block < 0 || block >= numBlocks) {
                throw new IllegalArgumentException(what + " names block " + block + ", the cache has blocks 0.."
                        + (numBlocks - 1));
            }
        }
    }
}
