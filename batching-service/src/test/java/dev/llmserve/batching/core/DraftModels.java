package dev.llmserve.batching.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.llmserve.engine.weights.SafetensorsFile;
import dev.llmserve.engine.weights.SafetensorsWriter;
import dev.llmserve.engine.weights.SafetensorsWriter.Tensor;
import dev.llmserve.engine.weights.TensorDType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Draft model folders written from a real model for tests. */
final class DraftModels {

    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\..*");
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "generation_config.json");

    private DraftModels() {}

    /**
     * The first {@code layers} layers of {@code source} (single-file F32 safetensors) with its
     * embedding, final norm, head and tokenizer: a weaker draft with the same vocabulary, the way
     * layer-skipping drafts are made.
     */
    static Path firstLayers(Path source, Path target, int layers) throws IOException {
        Files.createDirectories(target);
        SafetensorsFile file = SafetensorsFile.open(source.resolve("model.safetensors"));
        List<Tensor> kept = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String name : file.names().stream().sorted().toList()) {
                Matcher m = LAYER.matcher(name);
                if (m.matches() && Integer.parseInt(m.group(1)) >= layers) {
                    continue;
                }
                NDArray values = file.loadFloat32(manager, name);
                kept.add(new Tensor(name, TensorDType.F32, values.getShape().getShape(), values.toFloatArray()));
            }
        }
        SafetensorsWriter.write(target.resolve("model.safetensors"), kept);
        JsonObject config = JsonParser.parseString(Files.readString(source.resolve("config.json"))).getAsJsonObject();
        config.addProperty("num_hidden_layers", layers);
        Files.writeString(target.resolve("config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(config));
        for (String name : TOKENIZER_FILES) {
            Files.copy(source.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** A copy of {@code source}'s config and tokenizer with the ids of two vocabulary pieces swapped: another tokenizer. */
    static Path withSwappedPieces(Path source, Path target, String first, String second) throws IOException {
        Files.createDirectories(target);
        Files.copy(source.resolve("config.json"), target.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        for (String name : TOKENIZER_FILES) {
            Files.copy(source.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        JsonObject tokenizer = JsonParser.parseString(Files.readString(source.resolve("tokenizer.json")))
                .getAsJsonObject();
        JsonObject vocab = tokenizer.getAsJsonObject("model").getAsJsonObject("vocab");
        int firstId = vocab.get(first).getAsInt();
        vocab.addProperty(first, vocab.get(second).getAsInt());
        vocab.addProperty(second, firstId);
        Files.writeString(target.resolve("tokenizer.json"), tokenizer.toString());
        return target;
    }
}
