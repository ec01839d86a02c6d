package dev.llmserve.engine.testing;

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

/**
 * Writes a draft model cut from a real one: its first layers, with the same embedding, final norm,
 * head and tokenizer (a weak but same-vocabulary draft, the way layer-skipping drafts are made).
 */
public final class TruncatedModels {

    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\..*");

    private TruncatedModels() {}

    /** Copies {@code source}'s (single-file, F32) model keeping layers 0..layers-1 into {@code target}. */
    public static Path firstLayers(Path source, Path target, int layers) throws IOException {
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
        for (String extra : List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
            if (Files.exists(source.resolve(extra))) {
                Files.copy(source.resolve(extra), target.resolve(extra), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }
}
