package dev.llmserve.engine.speculative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmserve.engine.bench.DecodeLoop;
import dev.llmserve.engine.bench.DecodeSequence;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.testing.BoundCheck;
import dev.llmserve.engine.testing.FloatErrorModel;
import dev.llmserve.engine.testing.TinyModels;
import dev.llmserve.engine.testing.TinyRuns;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A draft proposes what plain decoding on it would sample, batched, with each sequence's own γ. */
class DraftProposerTest {

    private static final int BLOCK_SIZE = 4;
    private static final SamplingParams SAMPLED = new SamplingParams(1.1f, 0, 0.9f, 0f, 1.4f, 0.2f, 0.2f, Map.of(), -1);

    @TempDir
    static Path dir;

    private static ModelRunner draft;

    @BeforeAll
    static void load() throws IOException {
        draft = TinyRuns.load(TinyModels.write(dir.resolve("draft"), new TinyModels.Spec("draft").seed(7)), BLOCK_SIZE);
    }

    @AfterAll
    static void close() {
        if (draft != null) {
            draft.close();
        }
    }

    @Test
    void batchedProposalsOfDifferentLengthsEqualPlainDecodingOfEachSequence() {
        int[][] prompts = {{1, 2, 3}, {9, 8, 7, 6, 5, 4}, {11}};
        int[] gammas = {3, 1, 5};
        SamplingParams[] params = {SamplingParams.GREEDY, SAMPLED, SAMPLED};
        DraftRequest[] requests = new DraftRequest[3];
        for (int i = 0; i < 3; i++) {
            int[] table = TinyRuns.consecutiveBlocks(10 * i, prompts[i].length + gammas[i], BLOCK_SIZE);
            SamplingRow first = new SamplingRow(params[i], new TokenHistory(prompts[i], new int[0]), 40 + i, 0);
            requests[i] = new DraftRequest(i, prompts[i], 0, table, first, gammas[i], !params[i].greedy());
        }

        List<DraftProposal> proposals = new DraftProposer(draft).propose(List.of(requests));

        for (int i = 0; i < 3; i++) {
            DraftProposal proposal = proposals.get(i);
            int[] table = TinyRuns.consecutiveBlocks(100 + 10 * i, prompts[i].length + gammas[i], BLOCK_SIZE);
            int[] plain = DecodeLoop.run(draft::step, List.of(new DecodeSequence(i, prompts[i], table, params[i],
                    40 + i)), gammas[i]).outputs().get(0);
            assertEquals(i, proposal.sequenceId());
            assertArrayEquals(plain, proposal.tokens(), "sequence " + i);
            if (params[i].greedy()) {
                assertNull(proposal.probs(), "greedy drafts send no q");
            } else {
                assertEquals(gammas[i], proposal.probs().length);
                for (int k = 0; k < gammas[i]; k++) {
                    float[] q = proposal.probs()[k];
                    BoundCheck.assertWithin("|Σq − 1|, sequence " + i + " draft " + k, Math.abs(FloatErrorModel.sum(q) - 1),
                            FloatErrorModel.normalization(FloatErrorModel.support(q)));
                    assertEquals(true, proposal.probs()[k][proposal.tokens()[k]] > 0, "drawn tokens have q > 0");
                }
            }
        }
    }

    @Test
    void catchUpTokensContinueWhatIsCached() {
        int[] prompt = {5, 6, 7, 8, 9, 10, 11};
        int[] table = TinyRuns.consecutiveBlocks(50, prompt.length + 4, BLOCK_SIZE);
        SamplingRow greedy = new SamplingRow(SamplingParams.GREEDY, TokenHistory.EMPTY, 0, 0);
        DraftProposer proposer = new DraftProposer(draft);
        // The first 4 prompt tokens are cached by an earlier proposal; the rest catch up with the next.
        proposer.propose(List.of(new DraftRequest(1, Arrays.copyOf(prompt, 4), 0, table, greedy, 1, false)));
        int[] continued = proposer.propose(List.of(new DraftRequest(1, Arrays.copyOfRange(prompt, 4, 7), 4, table,
                greedy, 4, false))).get(0).tokens();

        int[] fresh = proposer.propose(List.of(new DraftRequest(2, prompt, 0,
                TinyRuns.consecutiveBlocks(70, prompt.length + 4, BLOCK_SIZE), greedy, 4, false))).get(0).tokens();
        assertArrayEquals(fresh, continued);
    }
}
