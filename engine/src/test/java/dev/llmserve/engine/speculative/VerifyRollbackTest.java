package dev.llmserve.engine.speculative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmserve.engine.bench.DecodeLoop;
import dev.llmserve.engine.bench.DecodeSequence;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.RunnerOptions;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.DefaultModels;
import dev.llmserve.engine.testing.FloatErrorModel;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Rollback is bookkeeping: after a verification rejects drafts, their K/V stays in the cache past
 * the sequence's length, and the next steps (the scheduler shrinks the computed length and block
 * table, and may hand the freed block to another sequence) give the logits of a sequence that
 * never saw the rejected tokens, up to float rounding: the two sequences' caches were written by steps
 * of other shapes (a 7-token prefill and a 9-token verification against one 10-token prefill), so every
 * sum on the path to a logit may be ordered differently ({@link FloatErrorModel#reassociated} of the
 * path's terms over the context, relative to the logit scale).
 */
class VerifyRollbackTest {

    private static final int BLOCK_SIZE = 4;
    private static final int[] PROMPT = {0, 80, 1015, 1186, 259, 614, 45}; // brown-6m's "Once upon a time,"
    private static final SamplingParams GREEDY = SamplingParams.GREEDY;

    @Test
    void afterARejectionTheNextStepsSeeOnlyAcceptedTokens() {
        try (ModelRunner runner = ModelRunner.load(DefaultModels.TARGET, new RunnerOptions("cpu", "16m", BLOCK_SIZE))) {
            int[] greedy = DecodeLoop.run(runner::step, List.of(new DecodeSequence(0, PROMPT, blocks(100, 40),
                    GREEDY, 0)), 12).outputs().get(0);

            // Sequence A: the prompt (7 tokens, positions 0-6) samples g0; then VERIFY [g0, g1, g2, x, y1..y5]
            // at positions 7-15 with x wrong: g1 and g2 are accepted, x is replaced by g3, and x and the y's
            // stay in the cache at positions 10-15 (blocks 2 and 3), past A's 10 cached positions.
            int[] tableA = {0, 1, 2, 3};
            runner.step(List.of(new SequenceStep(1, PROMPT, 0, tableA, OutputMode.SAMPLE, row(0))));
            int wrong = (greedy[3] + 1) % 4096;
            int[] verified = runner.step(List.of(new SequenceStep(1, new int[] {greedy[0], greedy[1], greedy[2],
                    wrong, 77, 78, 79, 80, 81}, PROMPT.length, tableA, OutputMode.VERIFY, row(1))))
                    .get(0).acceptedTokens();
            assertArrayEquals(new int[] {greedy[1], greedy[2], greedy[3]}, verified,
                    "the accepted prefix, then the target's token");

            // Sequence B never saw x and y: prompt and accepted tokens in one prefill, in other blocks.
            int[] seen = concat(PROMPT, Arrays.copyOf(greedy, 3));
            int[] tableB = {10, 11, 12, 13, 14};
            runner.step(List.of(new SequenceStep(2, seen, 0, tableB, OutputMode.NONE, null)));

            // Next step: g3 at position 10, where x was; y1..y5 are still at 11-15, beyond the context.
            int position = seen.length;
            float[][] a = logits(runner, 1, new int[] {greedy[3]}, position, tableA);
            float[][] b = logits(runner, 2, new int[] {greedy[3]}, position, tableB);
            assertClose(runner, b, a, position + 1, "the step after the rejection");

            // The scheduler shrinks A to the 3 blocks its 11 positions need, another sequence reuses the
            // freed block 3 (writing its own K/V over y2..y5), and A continues over the stale position 11
            // into a new block.
            runner.step(List.of(new SequenceStep(3, PROMPT, 0, new int[] {5, 3}, OutputMode.NONE, null)));
            int[] moreA = {0, 1, 2, 6};
            int[] next = Arrays.copyOfRange(greedy, 4, 9);
            a = logits(runner, 1, next, position + 1, moreA);
            b = logits(runner, 2, next, position + 1, tableB);
            assertClose(runner, b, a, position + 1 + next.length,
                    "five more tokens over the rejected positions, after the block was reused");
        }
    }

    private static SamplingRow row(int outputIndex) {
        return new SamplingRow(GREEDY, TokenHistory.EMPTY, 0, outputIndex);
    }

    private static float[][] logits(ModelRunner runner, long id, int[] tokens, int start, int[] table) {
        return runner.step(List.of(new SequenceStep(id, tokens, start, table, OutputMode.ALL_LOGITS, null)))
                .get(0).logits();
    }

    private static void assertClose(ModelRunner runner, float[][] expected, float[][] actual, int context,
            String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = FloatErrorModel.scale(expected);
        double bound = FloatErrorModel.reassociated(FloatErrorModel.llamaPathTerms(runner.config(), context));
        BoundCheck check = BoundCheck.named("rollback logits / logit scale, " + what);
        for (int p = 0; p < expected.length; p++) {
            int position = p;
            check.add(FloatErrorModel.maxDiff(expected[p], actual[p]) / scale, bound,
                    () -> "row " + position + " (logit scale " + scale + ")");
        }
        check.report();
    }

    private static int[] blocks(int first, int count) {
        return IntStream.range(first, first + count).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
