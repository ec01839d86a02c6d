package dev.llmserve.engine.config;

import dev.llmserve.engine.testing.DefaultModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GenerationConfigTest {

    @TempDir
    Path dir;

    private void write(String file, String json) throws IOException {
        Files.writeString(dir.resolve(file), json);
    }

    @Test
    void readsASingleEosIdAndTheSamplingDefaults() throws IOException {
        write("generation_config.json", """
                {"bos_token_id": 1, "eos_token_id": 2, "do_sample": true, "temperature": 0.6,
                 "top_p": 0.9, "top_k": 50, "min_p": 0.05, "repetition_penalty": 1.1, "max_new_tokens": 256}
                """);
        GenerationConfig config = GenerationConfig.load(dir);
        assertEquals(List.of(2), config.eosTokenIds());
        assertEquals(OptionalDouble.of(0.6), config.temperature());
        assertEquals(OptionalDouble.of(0.9), config.topP());
        assertEquals(OptionalInt.of(50), config.topK());
        assertEquals(OptionalDouble.of(0.05), config.minP());
        assertEquals(OptionalDouble.of(1.1), config.repetitionPenalty());
    }

    @Test
    void readsAListOfEosIdsAndLeavesAbsentDefaultsEmpty() throws IOException {
        write("generation_config.json", """
                {"bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009]}
                """);
        GenerationConfig config = GenerationConfig.load(dir);
        assertEquals(List.of(128001, 128008, 128009), config.eosTokenIds());
        assertEquals(OptionalDouble.empty(), config.temperature());
        assertEquals(OptionalInt.empty(), config.topK());
    }

    @Test
    void fallsBackToConfigJsonWithoutGenerationConfig() throws IOException {
        write("config.json", """
                {"model_type": "qwen2", "bos_token_id": 151643, "eos_token_id": [151645, 151643]}
                """);
        GenerationConfig config = GenerationConfig.load(dir);
        assertEquals(List.of(151645, 151643), config.eosTokenIds());
    }

    @Test
    void fallsBackToConfigJsonWhenGenerationConfigLacksTheEosIds() throws IOException {
        write("generation_config.json", """
                {"temperature": 0.7, "eos_token_id": null}
                """);
        write("config.json", """
                {"bos_token_id": 1, "eos_token_id": 2}
                """);
        GenerationConfig config = GenerationConfig.load(dir);
        assertEquals(List.of(2), config.eosTokenIds());
        assertEquals(OptionalDouble.of(0.7), config.temperature());
    }

    @Test
    void emptyWhenNeitherFileExists() {
        GenerationConfig config = GenerationConfig.load(dir);
        assertEquals(List.of(), config.eosTokenIds());
        assertEquals(OptionalDouble.empty(), config.temperature());
        assertEquals(OptionalInt.empty(), config.topK());
    }

    @Test
    void readsTheDefaultModel() {
        GenerationConfig config = GenerationConfig.load(DefaultModels.TARGET);
        assertEquals(List.of(0), config.eosTokenIds());
    }
}
