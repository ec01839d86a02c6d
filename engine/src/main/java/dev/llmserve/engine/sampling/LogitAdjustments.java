package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;

/**
 * Logit bias and the repetition, frequency and presence penalties, in vLLM's order. They touch only
 * the tokens a row names or has seen, so they are applied sparsely: those logits are taken, changed
 * and put back (about ten ops for the whole batch), and no [B, V] array is built on the host.
 */
final class LogitAdjustments {

    private LogitAdjustments() {}

    /** The adjusted logits, or {@code logits} itself when no row has a bias or a penalty. */
    static NDArray apply(NDArray logits, List<SamplingRow> rows, NDManager manager) {
        int vocab = Math.toIntExact(logits.getShape().get(1));
        Edits edits = new Edits(vocab);
        for (int r = 0; r < rows.size(); r++) {
            SamplingRow row = rows.get(r);
            edits.addRow((long) r * vocab, row.params(), row.history());
        }
        if (edits.size == 0) {
            return logits;
        }
        NDArray index = manager.create(Arrays.copyOf(edits.flatIndex, edits.size));
        NDArray values = logits.take(index);
        if (edits.anyRepetition) {
            if (edits.anyBias) {
                values = values.add(manager.create(Arrays.copyOf(edits.bias, edits.size)));
            }
            NDArray factor = manager.create(Arrays.copyOf(edits.factor, edits.size));
            values = NDArrays.where(values.gt(0f), values.div(factor), values.mul(factor));
            if (edits.anySubtract) {
                values = values.sub(manager.create(Arrays.copyOf(edits.subtract, edits.size)));
            }
        } else {
            // Without the (non-linear) repetition penalty, bias and output penalties are one addition.
            float[] shift = new float[edits.size];
            for (int i = 0; i < edits.size; i++) {
                shift[i] = edits.bias[i] - edits.subtract[i];
            }
            values = values.add(manager.create(shift));
        }
        return logits.put(index, values);
    }

    /** One entry per (row, token) that some adjustment touches, as flat indices into [B, V]. */
    private static final class Edits {
        private static final byte LISTED = 1;
        private static final byte IN_PROMPT = 2;
        private static final byte BIASED = 4;

        // Per-token scratch over the vocabulary, reused row after row (reset for touched tokens only):
        // linear in the history, where sorting it cost ~40 ns a token.
        private final int[] outputCount;
        private final byte[] flags;
        private int[] touched = new int[64];

        long[] flatIndex = new long[64];
        float[] bias = new float[64];
        float[] factor = new float[64];
        float[] subtract = new float[64];
        int size;
        boolean anyBias;
        boolean anyRepetition;
        boolean anySubtract;

        Edits(int vocab) {
            outputCount = new int[vocab];
            flags = new byte[vocab];
        }

        void addRow(long rowOffset, SamplingParams p, TokenHistory history) {
            boolean repetition = p.repetitionPenalty() != 1f;
            boolean outputPenalties = p.frequencyPenalty() != 0f || p.presencePenalty() != 0f;
            if (p.logitBias().isEmpty() && !repetition && !outputPenalties) {
                return;
            }
            int touchedCount = 0;
            for (int token : p.logitBias().keySet()) {
                touchedCount = touch(token, touchedCount);
                flags[token] |= BIASED;
            }
            if (repetition || outputPenalties) {
                for (int token : history.outputTokens()) {
                    touchedCount = touch(token, touchedCount);
                    outputCount[token]++;
                }
            }
            if (repetition) {
                for (int token : history.promptTokens()) {
                    touchedCount = touch(token, touchedCount);
                    flags[token] |= IN_PROMPT;
                }
            }
            for (int i = 0; i < touchedCount; i++) {
                int token = touched[i];
                int count = outputCount[token];
                boolean seen = count > 0 || (flags[token] & IN_PROMPT) != 0;
                float tokenBias = (flags[token] & BIASED) != 0 ? p.logitBias().get(token) : 0f;
                float tokenFactor = repetition && seen ? p.repetitionPenalty() : 1f;
                float tokenSubtract = count == 0 ? 0f : count * p.frequencyPenalty() + p.presencePenalty();
                add(rowOffset + token, tokenBias, tokenFactor, tokenSubtract);
                outputCount[token] = 0;
                flags[token] = 0;
            }
        }

        /** Lists a token the first time the row touches it. */
        private int touch(int token, int touchedCount) {
            if (token < 0 || token >= flags.length) {
                throw new IllegalArgumentException("token id " + token + " outside the vocabulary of " + flags.length);
            }
            if ((flags[token] & LISTED) != 0) {
                return touchedCount;
            }
            flags[token] |= LISTED;
            if (touchedCount == touched.length) {
                touched = Arrays.copyOf(touched, touchedCount * 2);
            }
            touched[touchedCount] = token;
            return touchedCount + 1;
        }

        private void add(long index, float tokenBias, float tokenFactor, float tokenSubtract) {
            if (size == flatIndex.length) {
                int capacity = size * 2;
                flatIndex = Arrays.copyOf(flatIndex, capacity);
                bias = Arrays.copyOf(bias, capacity);
                factor = Arrays.copyOf(factor, capacity);
                subtract = Arrays.copyOf(subtract, capacity);
            }
            flatIndex[size] = index;
            bias[size] = tokenBias;
            factor[size] = tokenFactor;
            subtract[size] = tokenSubtract;
            size++;
            anyBias |= tokenBias != 0f;
            anyRepetition |= tokenFactor != 1f;
            anySubtract |= tokenSubtract != 0f;
        }
    }
}
