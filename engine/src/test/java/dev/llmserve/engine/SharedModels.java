package dev.llmserve.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds llama2.c's stories260K under the repository's sibling {@code shared/} directory, for the tests of
 * agreement with run.c only (every other test uses the committed models/, see {@code testing.DefaultModels}). Tests
 * run with the module folder ({@code engine/}) as working directory, and the checkout may be a
 * worktree next to {@code shared/} or the repository root itself, so both relative locations are
 * tried. Tests that need a model call {@code Assumptions.assumeTrue(...isPresent(), ...)}.
 */
public final class SharedModels {

    private static final Path STORIES_260K = Path.of("models", "stories260K");

    private SharedModels() {
    }

    /** The stories260K folder (the one holding {@code hf/} and {@code reference/}), if present. */
    public static Optional<Path> stories260K() {
        return Stream.of(Path.of("..", "..", "shared"), Path.of("..", "shared"))
                .map(shared -> shared.resolve(STORIES_260K).toAbsolutePath().normalize())
                .filter(dir -> Files.isDirectory(dir.resolve("hf")) && Files.isDirectory(dir.resolve("reference")))
                .findFirst();
    }

    /** For {@code @EnabledIf}. */
    public static boolean stories260KPresent() {
        return stories260K().isPresent();
    }

    /** The message tests print when they skip because the model folder is missing. */
    public static String missing(String model) {
        return model + " not found at ../../shared/models or ../shared/models (relative to engine/); skipping";
    }
}
