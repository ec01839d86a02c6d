package dev.llmserve.batching;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the read-only model folders under the repository's sibling {@code shared/} directory (a
 * copy of the engine's test helper: test sources cannot cross modules). Tests run with the module
 * folder as working directory, and the checkout may be a worktree next to {@code shared/} or the
 * repository root itself, so both relative locations are tried.
 */
public final class SharedModels {

    private static final Path STORIES_260K = Path.of("models", "stories260K", "hf");

    private SharedModels() {
    }

    /** The stories260K Hugging Face folder, if present. */
    public static Optional<Path> stories260K() {
        return Stream.of(Path.of("..", "..", "shared"), Path.of("..", "shared"))
                .map(shared -> shared.resolve(STORIES_260K).toAbsolutePath().normalize())
                .filter(dir -> Files.isRegularFile(dir.resolve("config.json")))
                .findFirst();
    }

    public static boolean stories260KPresent() {
        return stories260K().isPresent();
    }

    /** The message tests print when they skip because the model folder is missing. */
    public static final String MISSING =
            "stories260K not found at ../../shared/models or ../shared/models (relative to batching-service/); skipping";
}
