package dev.llmserve.engine.step;

import static dev.llmserve.engine.testing.TinyRuns.assertLogitsClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.testing.TinyModels;
import dev.llmserve.engine.testing.TinyModels.Spec;
import dev.llmserve.engine.testing.TinyModels.TinyModel;
import dev.llmserve.engine.testing.TinyRuns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One step over sequences at different stages gives each sequence what it gets when run alone. */
class TinyMixedStepTest {

    private static final SamplingRow GREEDY = new SamplingRow(SamplingParams.GREEDY, TokenHistory.EMPTY, 0, 0);

    /** A sequence's share of the step: {@code history} tokens cached by earlier steps, then {@code fresh} new ones. */
    private record Part(int history, int fresh, OutputMode output) {}

    private record Batch(String name, List<Part> parts) {}

    /** Each batch shape takes a different path through the step's padding and masking. */
    private static final List<Batch> BATCHES = List.of(
            new Batch("prefill 7 + decode after 10 + verify 3 after 5", List.of(
                    new Part(0, 7, OutputMode.ALL_LOGITS),
                    new Part(10, 1, OutputMode.ALL_LOGITS),
                    new Part(5, 3, OutputMode.ALL_LOGITS))),
            new Batch("all output modes interleaved", List.of(
                    new Part(0, 4, OutputMode.NONE),
                    new Part(10, 1, OutputMode.SAMPLE),
                    new Part(5, 3, OutputMode.ALL_LOGITS),
                    new Part(2, 6, OutputMode.SAMPLE),
                    new Part(0, 2, OutputMode.ALL_LOGITS))),
            new Batch("equal chunks at different positions", List.of(
                    new Part(0, 3, OutputMode.ALL_LOGITS),
                    new Part(5, 3, OutputMode.ALL_LOGITS),
                    new Part(9, 3, OutputMode.ALL_LOGITS))),
            new Batch("decodes at different positions", List.of(
                    new Part(4, 1, OutputMode.ALL_LOGITS),
                    new Part(11, 1, OutputMode.SAMPLE),
                    new Part(7, 1, OutputMode.ALL_LOGITS))),
            new Batch("decodes at the same position", List.of(
                    new Part(6, 1, OutputMode.ALL_LOGITS),
                    new Part(6, 1, OutputMode.ALL_LOGITS))));

    @TempDir
    Path dir;

    private int nextBlock;

    @ParameterizedTest(name = "{0}, block size {1}")
    @MethodSource("dev.llmserve.engine.testing.TinyModels#variantsAndBlockSizes")
    void mixedStepEqualsEachSequenceAlone(Spec spec, int blockSize) throws IOException {
        TinyModel model = TinyModels.write(dir, spec);
        try (ModelRunner runner = TinyRuns.load(model, blockSize)) {
            for (Batch batch : BATCHES) {
                checkBatch(runner, batch, spec.vocab, blockSize);
            }
        }
    }

    private void checkBatch(ModelRunner runner, Batch batch, int vocab, int blockSize) {
        List<Part> parts = batch.parts();
        List<SequenceStep> steps = new ArrayList<>();
        List<int[]> tokens = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            tokens.add(TinyRuns.randomTokens(100 + i, part.history() + part.fresh(), vocab));
            int[] table = writeHistory(runner, tokens.get(i), part.history(), blockSize);
            steps.add(new SequenceStep(i, fresh(tokens.get(i), part), part.history(), table, part.output(),
                    part.output() == OutputMode.SAMPLE ? GREEDY : null));
        }
        List<SequenceResult> mixed = runner.step(steps);

        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            String what = batch.name() + ", sequence " + i;
            int[] table = writeHistory(runner, tokens.get(i), part.history(), blockSize);
            float[][] alone = TinyRuns.step(runner, fresh(tokens.get(i), part), part.history(), table);
            SequenceResult result = mixed.get(i);
            assertEquals(i, result.sequenceId(), what);
            switch (part.output()) {
                case NONE -> {
                    assertNull(result.logits(), what);
                    assertNull(result.sampled(), what);
                }
                case SAMPLE -> assertEquals(TinyRuns.argmax(alone[alone.length - 1]), result.sampled().tokenId(),
                        what + ": greedy token");
                case ALL_LOGITS -> assertLogitsClose(alone, result.logits(), what);
            }
        }
    }

    /** Fresh blocks for the whole sequence, with its first {@code history} tokens cached by a step of their own. */
    private int[] writeHistory(ModelRunner runner, int[] tokens, int history, int blockSize) {
        int[] table = TinyRuns.consecutiveBlocks(nextBlock, tokens.length, blockSize);
        nextBlock += table.length;
        if (history > 0) {
            runner.step(List.of(new SequenceStep(99, Arrays.copyOf(tokens, history), 0, table, OutputMode.NONE, null)));
        }
        return table;
    }

    private static int[] fresh(int[] tokens, Part part) {
        return Arrays.copyOfRange(tokens, part.history(), part.history() + part.fresh());
    }
}
