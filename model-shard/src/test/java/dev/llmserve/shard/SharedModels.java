package dev.llmserve.shard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the read-only model folders under the repository's sibling {@code shared/} directory (a copy
 * of the engine's test helper: test sources cannot cross modules; inference-service and draft-service get this
 * one from model-shard's test-jar). Tests run with the module folder as working directory, and the checkout may
 * be a worktree next to {@code shared/} or the repository root itself, so both relative locations are tried.
 */
public final class SharedModels {

    public static final String MISSING =
            "stories260K not found at ../../shared/models or ../shared/models (relative to the module folder); skipping";

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

    /** For {@link RequiresStories260K}. */
    public static boolean stories260KPresent() {
        return stories260K().isPresent();
    }
}
