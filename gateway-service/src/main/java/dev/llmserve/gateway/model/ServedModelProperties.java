package dev.llmserve.gateway.model;

import dev.llmserve.engine.config.ModelName;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The served model ({@code llmserve.model.*}).
 *
 * @param path the Hugging Face model folder: tokenizer.json, tokenizer_config.json, config.json
 * @param name the name clients use; by default the folder's name, or its parent's for a folder named
 *     {@code hf} (so {@code models/stories260K/hf} is "stories260K")
 */
@ConfigurationProperties("llmserve.model")
public record ServedModelProperties(Path path, String name) {

    public ServedModelProperties {
        if (path == null) {
            throw new IllegalArgumentException(
                    "llmserve.model.path is required: the model folder holding tokenizer.json and config.json");
        }
    }

    public String servedName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return ModelName.of(path);
    }
}
