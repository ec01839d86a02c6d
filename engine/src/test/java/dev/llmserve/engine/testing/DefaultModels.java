package dev.llmserve.engine.testing;

import java.nio.file.Path;

/**
 * The committed default pair in the repository's {@code models/} folder (see models/README.md). Tests
 * run with the module folder as working directory, one level below the repository root.
 */
public final class DefaultModels {

    /** brown-6m: the target {@code ./llmserve up} serves. */
    public static final Path TARGET = Path.of("..", "models", "brown-6m").toAbsolutePath().normalize();
    /** brown-6m-draft: its distilled draft, with the same tokenizer. */
    public static final Path DRAFT = Path.of("..", "models", "brown-6m-draft").toAbsolutePath().normalize();

    private DefaultModels() {}
}
