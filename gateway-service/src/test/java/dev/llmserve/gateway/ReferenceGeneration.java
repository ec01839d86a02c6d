package dev.llmserve.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * llama2.c's greedy run of stories260K on "Once upon a time" (reference/greedy_onceupon_n256.*):
 * BOS + 4 prompt ids, then the ids the model generates.
 */
public final class ReferenceGeneration {

    public static final String PROMPT = "Once upon a time";
    private static final int PROMPT_IDS = 5;

    private ReferenceGeneration() {}

    public static List<Integer> promptIds() {
        return ids().subList(0, PROMPT_IDS);
    }

    public static List<Integer> generatedIds() {
        return ids().subList(PROMPT_IDS, ids().size());
    }

    /** Prompt and completion as run.c printed them. */
    public static String text() {
        return read("greedy_onceupon_n256.txt");
    }

    private static List<Integer> ids() {
        return Arrays.stream(read("greedy_onceupon_n256.ids").trim().split("\\s+")).map(Integer::valueOf).toList();
    }

    private static String read(String name) {
        Path file = SharedModels.stories260K().orElseThrow().resolve("reference").resolve(name);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
