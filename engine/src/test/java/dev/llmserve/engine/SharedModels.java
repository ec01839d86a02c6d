package dev.llmserve.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** TEMP (replaced by tokenizer branch). */
public final class SharedModels {
    public static Optional<Path> stories260K() {
        for (String p : new String[] {"../../shared/models/stories260K", "../shared/models/stories260K"}) {
            Path d = Path.of(p).toAbsolutePath().normalize();
            if (Files.isDirectory(d.resolve("hf"))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
