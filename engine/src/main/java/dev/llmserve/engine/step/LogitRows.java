package dev.llmserve.engine.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;
import java.util.List;

/** Where each sequence's logit rows are in the forward pass's output, and the rows of chosen modes. */
final class LogitRows {
    private final List<SequenceStep> steps;
    private final int[] first;
    private final int total;

    LogitRows(List<SequenceStep> steps) {
        this.steps = steps;
        first = new int[steps.size()];
        int row = 0;
        for (int i = 0; i < first.length; i++) {
            first[i] = row;
            row += count(i);
        }
        total = row;
    }

    private int count(int i) {
        return steps.get(i).output().logitRows(steps.get(i).tokens().length);
    }

    List<SequenceStep> steps(OutputMode... modes) {
        List<OutputMode> wanted = List.of(modes);
        return steps.stream().filter(s -> wanted.contains(s.output())).toList();
    }

    /** The logits rows of the sequences with these modes, in order (all of them: no copy). */
    NDArray select(NDArray logits, OutputMode... modes) {
        List<OutputMode> wanted = List.of(modes);
        long[] index = new long[total];
        int n = 0;
        for (int i = 0; i < first.length; i++) {
            if (wanted.contains(steps.get(i).output())) {
                for (int r = 0; r < count(i); r++) {
                    index[n++] = first[i] + r;
                }
            }
        }
        if (n == total) {
            return logits;
        }
        return logits.get(new NDIndex("{}", logits.getManager().create(Arrays.copyOf(index, n))));
    }
}
