package dev.llmserve.engine.bench;

import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain decoding of a batch, the baseline speculative decoding is measured and checked against:
 * one step prefills every prompt and samples its first token, then each step samples one more.
 */
public final class DecodeLoop {

    private DecodeLoop() {}

    /** What a run produced, and how long its decode steps took (everything after the prefill step). */
    public record Outcome(List<int[]> outputs, long decodeNanos) {}

    /** The first {@code newTokens} output tokens of each sequence, in order. */
    public static Outcome run(StepTarget target, List<DecodeSequence> sequences, int newTokens) {
        int[][] outputs = new int[sequences.size()][newTokens];
        prefill(target, sequences, outputs);
        long decodeStart = System.nanoTime();
        for (int k = 1; k < newTokens; k++) {
            List<SequenceStep> steps = new ArrayList<>(sequences.size());
            for (int b = 0; b < sequences.size(); b++) {
                DecodeSequence s = sequences.get(b);
                steps.add(new SequenceStep(s.id(), new int[] {outputs[b][k - 1]}, s.prompt().length + k - 1,
                        s.blockTable(), OutputMode.SAMPLE, s.row(outputs[b], k)));
            }
            List<SequenceResult> results = target.step(steps);
            for (int b = 0; b < sequences.size(); b++) {
                outputs[b][k] = results.get(b).sampled().tokenId();
            }
        }
        return new Outcome(List.of(outputs), System.nanoTime() - decodeStart);
    }

    /** One step over all prompts; each sequence's first output token goes to {@code outputs[b][0]}. */
    static void prefill(StepTarget target, List<DecodeSequence> sequences, int[][] outputs) {
        List<SequenceStep> steps = new ArrayList<>(sequences.size());
        for (int b = 0; b < sequences.size(); b++) {
            DecodeSequence s = sequences.get(b);
            steps.add(new SequenceStep(s.id(), s.prompt(), 0, s.blockTable(), OutputMode.SAMPLE,
                    s.row(outputs[b], 0)));
        }
        List<SequenceResult> results = target.step(steps);
        for (int b = 0; b < sequences.size(); b++) {
            outputs[b][0] = results.get(b).sampled().tokenId();
        }
    }
}
