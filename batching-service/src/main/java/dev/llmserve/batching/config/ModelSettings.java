package dev.llmserve.batching.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code llmserve.model.path}: the model folder, read here only for its tokenizer and EOS ids. */
@ConfigurationProperties("llmserve.model")
public record ModelSettings(Path path) {

    public ModelSettings {
        if (path == null) {
            throw new IllegalArgumentException("llmserve.model.path is required: the model folder (for its tokenizer)");
        }
    }
}
