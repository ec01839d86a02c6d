package dev.llmserve.gateway;

import java.nio.file.Path;

/**
 * The committed brown-6m folder (models/ at the repository root; tests run in gateway-service/): the
 * gateway reads its tokenizer, chat template and context length.
 */
final class DefaultModel {

    static final String NAME = "brown-6m";
    static final Path DIR = Path.of("..", "models", NAME).toAbsolutePath().normalize();

    private DefaultModel() {}
}
