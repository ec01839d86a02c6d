package dev.llmserve.shard;

import java.nio.file.Path;

/**
 * The committed default pair in the repository's {@code models/} folder (see models/README.md), for the
 * services' tests (inference-service and draft-service get it from this module's test-jar). Tests run with
 * the module folder as working directory, one level below the repository root.
 */
public final class DefaultModels {

    /** brown-6m: the target {@code ./llmserve up} serves. */
    public static final Path TARGET = Path.of("..", "models", "brown-6m").toAbsolutePath().normalize();
    /** brown-6m-draft: its distilled draft, with the same tokenizer. */
    public static final Path DRAFT = Path.of("..", "models", "brown-6m-draft").toAbsolutePath().normalize();

    /** "Once upon a" with BOS, as brown-6m's tokenizer encodes it: the prompt the shard tests step. */
    public static final int[] PROMPT = {0, 80, 1015, 1186, 259};
    /**
     * PROMPT and the first 45 ids brown-6m generates after it at temperature 0, as
     * {@code ./llmserve generate --model models/brown-6m --prompt "Once upon a" --temperature 0} gives them.
     */
    public static final int[] TARGET_GREEDY = {
            0, 80, 1015, 1186, 259, 664, 300, 46, 103, 414, 46, 103, 414, 46, 103, 414, 46, 103, 414, 46, 103,
            414, 46, 103, 414, 46, 103, 414, 46, 103, 414, 46, 103, 414, 46, 103, 414, 46, 103, 414, 46, 103,
            414, 46, 103, 414, 46, 103, 414, 46};
    /** The same for brown-6m-draft. */
    public static final int[] DRAFT_GREEDY = {
            0, 80, 1015, 1186, 259, 614, 47, 11, 455, 674, 45, 290, 261, 674, 45, 290, 261, 674, 45, 290, 261,
            279, 273, 285, 47, 11, 455, 333, 385, 502, 259, 802, 45, 290, 310, 330, 259, 259, 802, 45, 290, 310,
            330, 259, 259, 259, 802, 45, 290, 330};

    private DefaultModels() {}
}
