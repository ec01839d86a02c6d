package dev.llmserve.tools.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.llmserve.engine.weights.TensorDType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a Hugging Face model folder the engine (and HF transformers) load unchanged: config.json,
 * generation_config.json, model.safetensors and the tokenizer files. Files are written to temporaries
 * and moved into place, so an interrupted save never leaves a half-written checkpoint.
 */
public final class ModelFolder {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final String[] TOKENIZER_FILES = {"tokenizer.json", "tokenizer_config.json"};

    private ModelFolder() {}

    public static void write(Path dir, ModelShape shape, ModelTokens special, Path tokenizerDir,
            LlamaParameters parameters, TensorDType dtype) throws IOException {
        Files.createDirectories(dir);
        JsonObject config = shape.configJson(special.vocabSize(), special.endOfText(), special.endOfText());
        if (dtype == TensorDType.F16) {
            config.addProperty("torch_dtype", "float16");
        }
        writeJson(dir.resolve("config.json"), config);
        JsonObject generation = new JsonObject();
        generation.addProperty("bos_token_id", special.endOfText());
        generation.addProperty("eos_token_id", special.endOfText());
        writeJson(dir.resolve("generation_config.json"), generation);
        for (String name : TOKENIZER_FILES) {
            Path source = tokenizerDir.resolve(name);
            if (Files.exists(source) && !Files.isSameFile(tokenizerDir, dir)) {
                Files.copy(source, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path weights = dir.resolve("model.safetensors");
        Path partial = dir.resolve("model.safetensors.partial");
        parameters.save(partial, dtype);
        Files.move(partial, weights, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void writeJson(Path file, JsonObject json) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, GSON.toJson(json) + "\n");
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
