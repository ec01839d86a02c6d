package dev.llmserve.engine.model;

import dev.llmserve.engine.step.SequenceStep;

import java.util.List;

/**
 * The host-side index arithmetic of one step, done once and shared by every layer. Tokens of all
 * sequences are laid out flat ([T]); attention works on a padded [B, maxQuery] × [B, maxContext]
 * view of them. Slot of position p = blockTable[p / blockSize] · blockSize + p % blockSize.
 */
public final class StepLayout {

    final int batch;
    final int totalTokens;
    final int maxQuery;
    final int maxContext;
    final int[] tokenIds;
    final int[] positions;
    final long[] writeSlots;
    /** [B · maxContext] slot of each key position; padding points at a real row and is masked. */
    final long[] readSlots;
    /** [B · maxQuery] flat token row of each padded query; null when no padding is needed. */
    final long[] paddedRows;
    /** [T] padded row of each flat token; null when no padding is needed. */
    final long[] unpaddedRows;
    /** [B · maxQuery] position of each padded query (0 for padding, so it still sees a key). */
    final int[] queryPositions;
    /** True when no query can see a key it must not: every context is maxContext long and one token is new. */
    final boolean maskFree;
    /** Flat rows whose hidden state goes through the LM head, and per sequence the first of them. */
    final long[] logitRows;
    final int[] firstLogitRow;

    public StepLayout(List<SequenceStep> steps, int blockSize, int maxPositions) {
        batch = steps.size();
        int t = 0;
        int mq = 0;
        int mc = 0;
        int logitCount = 0;
        boolean uniform = true;
        for (SequenceStep s : steps) {
            if (s.contextLength() > maxPositions) {
                throw new IllegalArgumentException("sequence " + s.sequenceId() + " reaches position "
                        + s.contextLength() + " beyond the model's context of " + maxPositions);
            }
            if ((long) s.blockTable().length * blockSize < s.contextLength()) {
                throw new IllegalArgumentException("sequence " + s.sequenceId() + ": block table of "
                        + s.blockTable().length + " blocks cannot hold " + s.contextLength() + " positions");
            }
            uniform &= steps.get(0).tokens().length == s.tokens().length;
            t += s.tokens().length;
            mq = Math.max(mq, s.tokens().length);
            mc = Math.max(mc, s.contextLength());
            logitCount += s.output().logitRows(s.tokens().length);
        }
        totalTokens = t;
        maxQuery = mq;
        maxContext = mc;
        tokenIds = new int[t];
        positions = new int[t];
        writeSlots = new long[t];
        readSlots = new long[batch * mc];
        queryPositions = new int[batch * mq];
        paddedRows = uniform ? null : new long[batch * mq];
        unpaddedRows = uniform ? null : new long[t];
        logitRows = new long[logitCount];
        firstLogitRow = new int[batch];
        boolean noMask = mq == 1;
        int row = 0;
        int logit = 0;
        for (int b = 0; b < batch; b++) {
            SequenceStep s = steps.get(b);
            int[] table = s.blockTable();
            noMask &= s.contextLength() == mc;
            for (int j = 0; j < mc; j++) {
                int p = Math.min(j, s.contextLength() - 1);
                readSlots[b * mc + j] = slot(table, p, blockSize);
            }
            for (int i = 0; i < s.tokens().length; i++) {
                int p = s.startPosition() + i;
                tokenIds[row + i] = s.tokens()[i];
                positions[row + i] = p;
                writeSlots[row + i] = slot(table, p, blockSize);
                queryPositions[b * mq + i] = p;
                if (paddedRows != null) {
                    paddedRows[b * mq + i] = row + i;
                    unpaddedRows[row + i] = (long) b * mq + i;
                }
            }
            firstLogitRow[b] = logit;
            // A sequence's logit rows are its last ones: the final position, or all of them.
            int rows = s.output().logitRows(s.tokens().length);
            for (int i = s.tokens().length - rows; i < s.tokens().length; i++) {
                logitRows[logit++] = row + i;
            }
            row += s.tokens().length;
        }
        maskFree = noMask;
    }

    private static long slot(int[] blockTable, int position, int blockSize) {
        return (long) blockTable[position / blockSize] * blockSize + position % blockSize;
    }
}
