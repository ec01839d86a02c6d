package dev.llmserve.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The agreed model-name rule (engine ModelName), and the explicit name that overrides it. */
class ModelPropertiesTest {

    @Test
    void anHfFolderTakesItsParentsName() {
        assertThat(at("/models/stories260K/hf", null).servedName()).isEqualTo("stories260K");
    }

    @Test
    void anyOtherFolderIsNamedAfterItself() {
        assertThat(at("/models/TinyLlama-1.1B/", null).servedName()).isEqualTo("TinyLlama-1.1B");
    }

    @Test
    void anExplicitNameWins() {
        assertThat(at("/models/stories260K/hf", "tiny").servedName()).isEqualTo("tiny");
    }

    @Test
    void aPathIsRequired() {
        assertThatThrownBy(() -> at(null, null)).hasMessageContaining("llmserve.model.path");
    }

    private static ModelProperties at(String path, String name) {
        return new ModelProperties(path == null ? null : Path.of(path), "auto", null, 16, name);
    }
}
