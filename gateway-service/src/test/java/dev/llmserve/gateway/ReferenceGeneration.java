package dev.llmserve.gateway;

import dev.llmserve.engine.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * brown-6m's greedy completion of "Once upon a time" (as {@code ./llmserve generate --temperature 0}
 * prints it), as token ids of the model's tokenizer: BOS + 5 prompt ids, then the completion's ids.
 */
public final class ReferenceGeneration {

    public static final String PROMPT = "Once upon a time";
    private static final String COMPLETION = ", the \"party\" of the \"party\" and \"theless\" of the \"party\" and"
            + " \"theless\" of the \"party\" and \"theless\" of the \"party\" and \"theless\" of the \"party\" and"
            + " \"theless\" of the \"party\" and \"theless\" of";
    private static final List<Integer> PROMPT_IDS = List.of(0, 80, 1015, 1186, 259, 614);
    private static final List<Integer> GENERATED_IDS;

    static {
        try (TextTokenizer tokenizer = TextTokenizer.load(DefaultModel.DIR)) {
            GENERATED_IDS = Arrays.stream(tokenizer.encode(COMPLETION, false)).boxed().toList();
        }
    }

    private ReferenceGeneration() {}

    public static List<Integer> promptIds() {
        return PROMPT_IDS;
    }

    public static List<Integer> generatedIds() {
        return GENERATED_IDS;
    }

    /** Prompt and completion as the engine printed them. */
    public static String text() {
        return PROMPT + COMPLETION;
    }
}
