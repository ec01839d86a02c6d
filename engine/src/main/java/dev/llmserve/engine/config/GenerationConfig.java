package dev.llmserve.engine.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A model's own generation defaults from {@code generation_config.json}: the EOS ids (one or several,
 * e.g. Llama 3 Instruct ends turns with {@code <|eot_id|>} as well as {@code <|end_of_text|>}) and the
 * sampling defaults it recommends. The EOS ids fall back to {@code config.json} when
 * generation_config.json is missing or lacks them; a folder with neither file gives an empty config.
 * The BOS id is the tokenizer's ({@code TextTokenizer.bosTokenId}), which is what encoding adds.
 */
public record GenerationConfig(
        List<Integer> eosTokenIds,
        OptionalDouble temperature,
        OptionalDouble topP,
        OptionalInt topK,
        OptionalDouble minP,
        OptionalDouble repetitionPenalty) {

    public GenerationConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /**
     * The ids that end a sequence: these eos ids plus the tokenizer's own eos, which some models name
     * only in tokenizer_config.json. One rule for generate and serving, so both stop alike.
     */
    public Set<Integer> endOfSequenceIds(OptionalInt tokenizerEos) {
        Set<Integer> ids = new HashSet<>(eosTokenIds);
        tokenizerEos.ifPresent(ids::add);
        return Set.copyOf(ids);
    }

    public static GenerationConfig load(Path modelDir) {
        JsonObject generation = readJson(modelDir.resolve("generation_config.json"));
        JsonObject model = readJson(modelDir.resolve("config.json"));
        List<Integer> eos = ids(generation.get("eos_token_id"));
        if (eos.isEmpty()) {
            eos = ids(model.get("eos_token_id"));
        }
        return new GenerationConfig(eos,
                number(generation, "temperature"),
                number(generation, "top_p"),
                integer(generation, "top_k"),
                number(generation, "min_p"),
                number(generation, "repetition_penalty"));
    }

    /** An id is written either as one int or as a list of ints. */
    private static List<Integer> ids(JsonElement element) {
        List<Integer> ids = new ArrayList<>();
        if (element == null || element.isJsonNull()) {
            return ids;
        }
        if (element.isJsonArray()) {
            element.getAsJsonArray().forEach(id -> ids.add(id.getAsInt()));
        } else {
            ids.add(element.getAsInt());
        }
        return ids;
    }

    private static OptionalInt integer(JsonObject json, String key) {
        JsonElement element = json.get(key);
        return element == null || element.isJsonNull() ? OptionalInt.empty() : OptionalInt.of(element.getAsInt());
    }

    private static OptionalDouble number(JsonObject json, String key) {
        JsonElement element = json.get(key);
        return element == null || element.isJsonNull() ? OptionalDouble.empty()
                : OptionalDouble.of(element.getAsDouble());
    }

    private static JsonObject readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return new JsonObject();
        }
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
