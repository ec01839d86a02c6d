package dev.llmserve.tools.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmserve.engine.bench.DecodeLoop;
import dev.llmserve.engine.bench.DecodeSequence;
import dev.llmserve.engine.bench.SpeculativeDecodeLoop;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.speculative.DraftProposer;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.RunnerOptions;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import dev.llmserve.engine.tokenizer.TokenizerFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed default pair (models/) loads in the engine, writes English, and drafts for its target. */
class DefaultModelsTest {

    private static final Path MODELS = Path.of("..", "models").toAbsolutePath().normalize();
    private static final Path TARGET = MODELS.resolve("brown-6m");
    private static final Path DRAFT = MODELS.resolve("brown-6m-draft");
    private static final List<String> PROMPTS = List.of("The", "It was a", "\"I don't know,\" she said",
            "The committee", "In the morning");
    private static final int NEW_TOKENS = 48;
    private static final int BLOCK_SIZE = 16;

    @Test
    void bothFoldersAreSmallEnoughToCommitAndSizedAsDocumented() throws IOException {
        long targetParameters = parameters(ModelConfig.load(TARGET));
        long draftParameters = parameters(ModelConfig.load(DRAFT));
        assertTrue(targetParameters >= 5_000_000 && targetParameters <= 20_000_000, "target " + targetParameters);
        double ratio = (double) draftParameters / targetParameters;
        assertTrue(ratio > 0.05 && ratio < 0.2, "draft/target parameters " + ratio);
        for (Path dir : List.of(TARGET, DRAFT)) {
            try (Stream<Path> files = Files.walk(dir)) {
                // trainer/ (resume state) is git-ignored, not part of the committed model
                long bytes = files.filter(Files::isRegularFile)
                        .filter(f -> !dir.relativize(f).startsWith("trainer"))
                        .mapToLong(DefaultModelsTest::size).sum();
                assertTrue(bytes <= 25L * 1024 * 1024, dir + " holds " + bytes + " bytes");
            }
        }
    }

    @Test
    void theTargetWritesWordsAndTheDraftChangesNoGreedyToken() {
        try (ModelRunner target = load(TARGET); ModelRunner draft = load(DRAFT);
                TextTokenizer tokenizer = TextTokenizer.load(TARGET)) {
            assertEquals(TokenizerFingerprint.of(TARGET), TokenizerFingerprint.of(DRAFT), "one tokenizer for both");
            List<DecodeSequence> sequences = new ArrayList<>();
            for (String prompt : PROMPTS) {
                int[] ids = tokenizer.encode(prompt, true);
                int blocks = (ids.length + NEW_TOKENS + 8 + BLOCK_SIZE - 1) / BLOCK_SIZE;
                int first = 1 + 10 * sequences.size();
                sequences.add(new DecodeSequence(sequences.size(), ids,
                        IntStream.range(first, first + blocks).toArray(), SamplingParams.GREEDY, 0));
            }
            List<int[]> plain = DecodeLoop.run(target::step, sequences, NEW_TOKENS).outputs();
            for (int[] output : plain) {
                String text = tokenizer.decode(output, true);
                long letters = text.chars().filter(Character::isLetter).count();
                assertTrue(letters > text.length() / 2, "mostly words: " + text);
                assertTrue(text.split("\\s+").length >= 8, "several words: " + text);
            }
            SpeculativeDecodeLoop.Outcome speculative = SpeculativeDecodeLoop
                    .withDraftModel(target::step, new DraftProposer(draft), 4).run(sequences, NEW_TOKENS);
            for (int i = 0; i < plain.size(); i++) {
                assertArrayEquals(plain.get(i), speculative.outputs().get(i), PROMPTS.get(i));
            }
            // greedy text that loops is where a 1-layer draft disagrees most; some drafts must still land
            assertTrue(speculative.accepted() > 0, "accepted drafts: " + speculative.accepted());
        }
    }

    private static ModelRunner load(Path dir) {
        return ModelRunner.load(dir, new RunnerOptions("cpu", "16m", BLOCK_SIZE));
    }

    private static long parameters(ModelConfig c) {
        long attention = (long) c.hiddenSize() * c.headDim() * (c.numHeads() + 2L * c.numKvHeads())
                + (long) c.numHeads() * c.headDim() * c.hiddenSize();
        long layer = attention + 3L * c.hiddenSize() * c.intermediateSize() + 2L * c.hiddenSize();
        return (long) c.vocabSize() * c.hiddenSize() + c.numLayers() * layer + c.hiddenSize();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
