package dev.llmserve.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.llmserve.engine.config.UnsupportedModelException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * All tensors of a Hugging Face folder by name: one {@code model.safetensors}, a sharded set listed in
 * {@code model.safetensors.index.json}, or any {@code *.safetensors} files.
 */
public final class WeightStore {

    private final Map<String, SafetensorsFile> fileByTensor;

    private WeightStore(Map<String, SafetensorsFile> fileByTensor) {
        this.fileByTensor = fileByTensor;
    }

    public static WeightStore open(Path modelDir) {
        Map<String, SafetensorsFile> byTensor = new HashMap<>();
        Path index = modelDir.resolve("model.safetensors.index.json");
        try {
            if (Files.isRegularFile(index)) {
                JsonObject map = JsonParser.parseString(Files.readString(index)).getAsJsonObject()
                        .getAsJsonObject("weight_map");
                Map<String, SafetensorsFile> shards = new HashMap<>();
                for (Map.Entry<String, JsonElement> e : map.entrySet()) {
                    String shard = e.getValue().getAsString();
                    Path shardPath = modelDir.resolve(shard);
                    if (!Files.isRegularFile(shardPath)) {
                        throw new UnsupportedModelException("shard " + shard + " listed in " + index.getFileName()
                                + " is missing from " + modelDir);
                    }
                    byTensor.put(e.getKey(), shards.computeIfAbsent(shard, s -> SafetensorsFile.open(shardPath)));
                }
            } else {
                TreeSet<Path> files = new TreeSet<>();
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(modelDir, "*.safetensors")) {
                    stream.forEach(files::add);
                }
                if (files.isEmpty()) {
                    throw new UnsupportedModelException(modelDir + " has no *.safetensors weights"
                            + " (PyTorch .bin and GGUF checkpoints are not supported)");
                }
                for (Path file : files) {
                    SafetensorsFile st = SafetensorsFile.open(file);
                    st.names().forEach(name -> byTensor.put(name, st));
                }
            }
        } catch (IOException e) {
            throw new UnsupportedModelException("cannot read weights in " + modelDir + ": " + e.getMessage(), e);
        }
        return new WeightStore(byTensor);
    }

    public boolean contains(String name) {
        return fileByTensor.containsKey(name);
    }

    /** The named tensor as F32 on the CPU, or a clear error naming the missing tensor. */
    public NDArray load(NDManager manager, String name) {
        SafetensorsFile file = fileByTensor.get(name);
        if (file == null) {
            throw new UnsupportedModelException("the checkpoint lacks tensor " + name);
        }
        return file.loadFloat32(manager, name);
    }
}
