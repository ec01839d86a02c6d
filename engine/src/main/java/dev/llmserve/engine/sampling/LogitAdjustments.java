package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
        Edits edits = new Edits();
        for (int r = 0; r < rows.size(); r++) {
            SamplingRow row = rows.get(r);
            edits.addRow((long) r * vocab, vocab, row.params(), row.history());
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
        private static final int[] NONE = new int[0];

        long[] flatIndex = new long[64];
        float[] bias = new float[64];
        float[] factor = new float[64];
        float[] subtract = new float[64];
        int size;
        boolean anyBias;
        boolean anyRepetition;
        boolean anySubtract;

        void addRow(long rowOffset, int vocab, SamplingParams p, TokenHistory history) {
            boolean repetition = p.repetitionPenalty() != 1f;
            boolean outputPenalties = p.frequencyPenalty() != 0f || p.presencePenalty() != 0f;
            if (p.logitBias().isEmpty() && !repetition && !outputPenalties) {
                return;
            }
            int[] biasTokens = sortedTokens(p.logitBias(), vocab);
            int[] output = repetition || outputPenalties ? sortedCopy(history.outputTokens(), vocab) : NONE;
            int[] prompt = repetition ? sortedCopy(history.promptTokens(), vocab) : NONE;
            // Merge the three sorted lists so that each token gets a single entry.
            int b = 0;
            int o = 0;
            int q = 0;
            while (b < biasTokens.length || o < output.length || q < prompt.length) {
                int token = Math.min(head(biasTokens, b), Math.min(head(output, o), head(prompt, q)));
                float tokenBias = 0f;
                if (head(biasTokens, b) == token) {
                    tokenBias = p.logitBias().get(biasTokens[b++]);
                }
                int count = 0;
                while (head(output, o) == token) {
                    count++;
                    o++;
                }
                boolean inPrompt = false;
                while (head(prompt, q) == token) {
                    inPrompt = true;
                    q++;
                }
                float tokenFactor = repetition && (inPrompt || count > 0) ? p.repetitionPenalty() : 1f;
                float tokenSubtract = count == 0 ? 0f : count * p.frequencyPenalty() + p.presencePenalty();
                add(rowOffset + token, tokenBias, tokenFactor, tokenSubtract);
            }
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

        private static int head(int[] tokens, int i) {
            return i < tokens.length ? tokens[i] : Integer.MAX_VALUE;
        }

        private static int[] sortedTokens(Map<Integer, Float> logitBias, int vocab) {
            int[] tokens = new int[logitBias.size()];
            int i = 0;
            for (int token : logitBias.keySet()) {
                tokens[i++] = token;
            }
            return checked(tokens, vocab);
        }

        private static int[] sortedCopy(int[] tokens, int vocab) {
            return checked(tokens.clone(), vocab);
        }

        private static int[] checked(int[] tokens, int vocab) {
            Arrays.sort(tokens);
            if (tokens.length > 0 && (tokens[0] < 0 || tokens[tokens.length - 1] >= vocab)) {
                throw new IllegalArgumentException("token id outside the vocabulary of " + vocab + ": "
                        + (tokens[0] < 0 ? tokens[0] : tokens[tokens.length - 1]));
            }
            return tokens;
        }
    }
}
