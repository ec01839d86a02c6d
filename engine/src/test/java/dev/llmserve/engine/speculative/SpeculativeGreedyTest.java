package dev.llmserve.engine.speculative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmserve.engine.bench.DecodeLoop;
import dev.llmserve.engine.bench.DecodeSequence;
import dev.llmserve.engine.bench.SpeculativeDecodeLoop;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.RunnerOptions;
import dev.llmserve.engine.testing.DefaultModels;
import dev.llmserve.engine.testing.TinyModels;
import dev.llmserve.engine.testing.TruncatedModels;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Greedy speculative decoding on the committed brown-6m target gives exactly the tokens plain greedy
 * decoding gives, for a batch of twelve prompts, whatever drafts: the model itself (every draft
 * accepted), its first two layers, a random model of the same vocabulary (almost every draft rejected),
 * and prompt lookup (model-tools' DefaultModelsTest does the same for the distilled draft).
 */
class SpeculativeGreedyTest {

    private static final List<String> PROMPTS = List.of(
            "Once upon a time", "Lily and Ben went to the park", "The little dog was sad because",
            "One day, a big bird", "Tom had a red ball. He", "Mom said, \"Let's bake a cake!\"",
            "There was a tree in the garden", "The sun was hot and", "Sara found a shiny box",
            "The cat and the mouse were friends.", "Once upon a time, there was a little girl named Lily. She",
            "Max wanted to fly like a bird, so");
    private static final int NEW_TOKENS = 60;
    private static final int GAMMA = 4;
    private static final int BLOCK_SIZE = 16;

    private static Path hf;
    private static ModelRunner target;
    private static List<DecodeSequence> sequences;
    private static List<int[]> plain;

    @BeforeAll
    static void decodePlainly() {
        hf = DefaultModels.TARGET;
        target = load(hf);
        sequences = new ArrayList<>();
        try (TextTokenizer tokenizer = TextTokenizer.load(hf)) {
            for (int i = 0; i < PROMPTS.size(); i++) {
                int[] prompt = tokenizer.encode(PROMPTS.get(i), true);
                int blocks = (prompt.length + NEW_TOKENS + BLOCK_SIZE - 1) / BLOCK_SIZE;
                int[] table = IntStream.range(0, blocks).map(b -> 100 + 20 * sequences.size() + b).toArray();
                sequences.add(new DecodeSequence(i, prompt, table, SamplingParams.GREEDY, 0));
            }
        }
        plain = DecodeLoop.run(target::step, sequences, NEW_TOKENS).outputs();
    }

    @AfterAll
    static void close() {
        if (target != null) {
            target.close();
        }
    }

    private static ModelRunner load(Path dir) {
        return ModelRunner.load(dir, new RunnerOptions("cpu", "64m", BLOCK_SIZE));
    }

    @Test
    void theModelAsItsOwnDraftIsAlwaysAcceptedAndChangesNothing() {
        try (ModelRunner draft = load(hf)) {
            SpeculativeDecodeLoop.Outcome outcome = withDraft(draft);
            assertSameAsPlain(outcome, "self-draft");
            assertEquals(outcome.proposed(), outcome.accepted(), "a model agrees with itself on every draft");
        }
    }

    @Test
    void itsFirstTwoLayersAsTheDraftChangeNothing(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        try (ModelRunner draft = load(TruncatedModels.firstLayers(hf, dir.resolve("brown-6m-2l"), 2))) {
            SpeculativeDecodeLoop.Outcome outcome = withDraft(draft);
            assertSameAsPlain(outcome, "2-layer draft");
            assertTrue(outcome.accepted() > 0 && outcome.accepted() < outcome.proposed(),
                    "both accepted and rejected drafts: " + outcome.accepted() + " of " + outcome.proposed());
        }
    }

    @Test
    void aRandomDraftOfTheSameVocabularyChangesNothing(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        TinyModels.Spec spec = new TinyModels.Spec("random vocab 4096");
        spec.vocab = 4096;
        spec.maxPositions = 512;
        Files.createDirectories(dir);
        try (ModelRunner draft = load(TinyModels.write(dir.resolve("random"), spec).dir())) {
            SpeculativeDecodeLoop.Outcome outcome = withDraft(draft);
            assertSameAsPlain(outcome, "random draft");
            assertTrue(outcome.accepted() < outcome.proposed() / 2, "a random draft is mostly rejected");
        }
    }

    @Test
    void promptLookupChangesNothing() {
        SpeculativeDecodeLoop.Outcome outcome = SpeculativeDecodeLoop.withPromptLookup(target::step, GAMMA, 1, 3)
                .run(sequences, NEW_TOKENS);
        assertSameAsPlain(outcome, "prompt lookup");
        assertTrue(outcome.accepted() > 0, "stories repeat themselves: some lookups are accepted");
    }

    private static SpeculativeDecodeLoop.Outcome withDraft(ModelRunner draft) {
        return SpeculativeDecodeLoop.withDraftModel(target::step, new DraftProposer(draft), GAMMA)
                .run(sequences, NEW_TOKENS);
    }

    private static void assertSameAsPlain(SpeculativeDecodeLoop.Outcome outcome, String what) {
        System.out.printf("%s: %d of %d drafts accepted (%.1f%%), %.2f tokens per verification%n", what,
                outcome.accepted(), outcome.proposed(), 100 * outcome.acceptanceRate(),
                outcome.tokensPerVerification());
        for (int i = 0; i < sequences.size(); i++) {
            assertArrayEquals(plain.get(i), outcome.outputs().get(i), what + ", prompt " + i + ": " + PROMPTS.get(i));
        }
    }
}
